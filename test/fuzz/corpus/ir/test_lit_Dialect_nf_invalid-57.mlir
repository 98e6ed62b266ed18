
// A 0-D input has no last dimension to scale.
func.func @f(%x: tensor<f32>, %g: tensor<1xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.scale' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.scale %x, %g : tensor<f32>, tensor<1xf32>
  return %0 : tensor<f32>
}

