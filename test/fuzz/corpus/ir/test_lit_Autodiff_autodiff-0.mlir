// Idempotent: @train_step is rebuilt, not duplicated.
// The result round-trips.

// A one-layer model touching every VJP family that gpt-tiny uses: the
// gradient of every parameter, in declaration order; the loss first. The
// forward function stays, before the train step.
// The residual add sends the same cotangent both ways.
// The tied table gets both reads' gradients.
nf.param @emb : tensor<8x4xf32> init <normal(0.02)> group <embedding>
nf.param @g : tensor<4xf32> init <ones> group <scale>
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix>
nf.param @unused : tensor<4xf32> init <zeros> group <bias>
func.func @forward(%t: tensor<1x4xi32>, %y: tensor<1x4xi32>) -> tensor<f32> {
  %e = nf.get_param @emb : tensor<8x4xf32>
  %x = nf.embedding %t, %e : tensor<1x4xi32>, tensor<8x4xf32> -> tensor<1x4x4xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<1x4x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %s = nf.scale %n, %g : tensor<1x4x4xf32>, tensor<4xf32>
  %w = nf.get_param @w : tensor<4x4xf32>
  %h = nf.linear %s, %w : tensor<1x4x4xf32>, tensor<4x4xf32> -> tensor<1x4x4xf32>
  %r = nf.add %x, %h : tensor<1x4x4xf32>, tensor<1x4x4xf32>
  %e2 = nf.get_param @emb : tensor<8x4xf32>
  %l = nf.linear %r, %e2 : tensor<1x4x4xf32>, tensor<8x4xf32> -> tensor<1x4x8xf32>
  %loss = nf.cross_entropy %l, %y : tensor<1x4x8xf32>, tensor<1x4xi32> -> tensor<f32>
  return %loss : tensor<f32>
}

