
// Muon runs at least one Newton-Schulz step.
func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op ns_steps must be >= 1, but got 0}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(0.9) nesterov(true) ns_steps(0) scale <keller> wd(0.0) : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

