
// Same for layernorm.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.layernorm' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.layernorm %x eps(1.0e-5) : tensor<f32>
  return %0 : tensor<f32>
}

