// Idempotent: the function is rebuilt and the state tensors reused.

// AdamW state (m, v) and Muon's momentum buffer are state parameters next
// to their parameter; the step counter is state too.
// BADSCHED: error: nf-optimizer-step: unknown schedule 'linear'; expected constant, warmup_cosine or wsd
// BADSCALE: error: nf-optimizer-step: unknown muon-scale 'big'; expected keller or match_adamw
nf.param @w : tensor<8x4xf32> init <normal(0.02)> group <matrix> weight_decay(0.1) optimizer <muon>
nf.param @g : tensor<4xf32> init <ones> group <scale> role <input> weight_decay(0.0) optimizer <adamw>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>

