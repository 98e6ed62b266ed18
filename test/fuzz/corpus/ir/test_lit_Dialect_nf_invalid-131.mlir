
// derf_ema_grad: blend is in [0, 1].
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema_grad' op attribute 'blend' must be in [0, 1], but got 7}}
  %0, %1, %2 = nf.derf_ema_grad %x, %a, %a, %a, %x blend(7.0) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

