
// Muon's momentum is in [0, 1).
func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op attribute 'momentum' must be in [0, 1), but got 1}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(1.0) nesterov(true) ns_steps(5) scale <keller> wd(0.0) : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

