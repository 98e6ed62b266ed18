
// derf_ema's alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

