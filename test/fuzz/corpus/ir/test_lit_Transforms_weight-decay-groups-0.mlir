// Idempotent: running twice gives what running once gives.
// Option checked before anything changes.

// Defaults: matrices, embeddings, head and Input-Norm scales decay by 0.1;
// Output-Norm scales, biases and scalars get 0; state gets none.
// Each option flips its group.
// FLIP-LABEL: module
// FLIP: @m {{.*}} group <matrix> weight_decay(0.000000e+00)
// FLIP: @e {{.*}} group <embedding> weight_decay(0.000000e+00)
// FLIP: @h {{.*}} group <head> weight_decay(0.000000e+00)
// FLIP: @gi {{.*}} group <scale> role <input> weight_decay(0.000000e+00)
// FLIP: @go {{.*}} group <scale> role <output> weight_decay(5.000000e-02)
// FLIP: @b {{.*}} group <bias> weight_decay(5.000000e-02)
// FLIP: @a {{.*}} group <scalar> weight_decay(5.000000e-02)
// FLIP: @r {{.*}} group <state>{{$}}
// BADWD: error: nf-weight-decay-groups: option weight-decay must be finite and >= 0, got -1
nf.param @m : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @e : tensor<16x8xf32> init <normal(0.02)> group <embedding>
nf.param @h : tensor<16x8xf32> init <normal(0.02)> group <head> weight_decay(0.5)
nf.param @gi : tensor<8xf32> init <ones> group <scale> role <input>
nf.param @go : tensor<8xf32> init <ones> group <scale> role <output>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>

