
// Muon updates matrices.
func.func @f(%p: tensor<4xf32>, %lr: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.muon' op muon works on 2-D matrices, but got 'tensor<4xf32>'}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(0.95) nesterov(true) ns_steps(5) scale <keller> wd(0.0) : tensor<4xf32>
  return %0 : tensor<4xf32>
}

