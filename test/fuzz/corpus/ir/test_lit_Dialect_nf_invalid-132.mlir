
// derf_ema_grad needs a last dimension.
func.func @f(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.derf_ema_grad' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1, %2 = nf.derf_ema_grad %x, %a, %a, %a, %x blend(1.0) : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

