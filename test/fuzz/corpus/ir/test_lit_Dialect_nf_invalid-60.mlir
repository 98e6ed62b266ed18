
// A 0-D input has no last dimension to add beta to.
func.func @f(%x: tensor<f32>, %b: tensor<1xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.bias_add' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.bias_add %x, %b : tensor<f32>, tensor<1xf32>
  return %0 : tensor<f32>
}

