
// rmsnorm_grad: eps is not negative.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm_grad' op attribute 'eps' must be in [0, inf), but got -1}}
  %0 = nf.rmsnorm_grad %x, %x eps(-1.0) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

