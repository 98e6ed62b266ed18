
// The blend weight is in [0, 1].
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op attribute 'blend' must be in [0, 1], but got 1.5}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.99) blend(1.5) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

