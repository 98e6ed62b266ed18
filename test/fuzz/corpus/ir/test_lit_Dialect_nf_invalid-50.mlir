
// The running RMS is a mean over rows, so derf_ema needs a row dimension.
func.func @f(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.derf_ema' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.99) blend(1.0) : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

