
// eps is finite (0x7FF0000000000000 is +inf).
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm' op attribute 'eps' must be in [0, inf), but got inf}}
  %0 = nf.rmsnorm %x eps(0x7FF0000000000000) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

