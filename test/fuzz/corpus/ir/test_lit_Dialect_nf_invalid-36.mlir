
// Assigning state that does not exist.
func.func @f(%v: tensor<f32>) {
  // expected-error @+1 {{'nf.assign_state' op '@r' does not name an nf.param in this module}}
  nf.assign_state @r, %v : tensor<f32>
  return
}

