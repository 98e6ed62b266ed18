
// eps is not negative.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.layernorm' op attribute 'eps' must be in [0, inf), but got -1e-05}}
  %0 = nf.layernorm %x eps(-1.0e-5) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

