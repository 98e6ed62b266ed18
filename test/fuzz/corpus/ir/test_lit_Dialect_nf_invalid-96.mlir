
// Every weight has the input's element type. (The operand index in this
// message is the weight's position in the weight list's segment, #0.)
func.func @f(%x: tensor<2x8xf32>, %w: tensor<4x8xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #1 (weight) must have element type 'f32' like the input, but got 'f16'}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<4x8xf16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

