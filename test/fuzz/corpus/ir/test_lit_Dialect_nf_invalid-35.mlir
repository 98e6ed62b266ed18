
// Assigning state at the wrong type.
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @f(%v: tensor<2xf32>) {
  // expected-error @+1 {{'nf.assign_state' op value type 'tensor<2xf32>' does not match state @r of type 'tensor<f32>'}}
  nf.assign_state @r, %v : tensor<2xf32>
  return
}

