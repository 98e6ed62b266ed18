
// Muon's weight decay is not negative.
func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op attribute 'weight_decay' must be in [0, inf), but got -1}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(0.9) nesterov(true) ns_steps(5) scale <keller> wd(-1.0) : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

