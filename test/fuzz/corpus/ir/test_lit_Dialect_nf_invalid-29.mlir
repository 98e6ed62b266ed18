
//===----------------------------------------------------------------------===//
// nf.get_param, nf.assign_state (symbol uses)
//===----------------------------------------------------------------------===//

// Reading a parameter that does not exist.
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{'nf.get_param' op '@nope' does not name an nf.param in this module}}
  %0 = nf.get_param @nope : tensor<4xf32>
  return %0 : tensor<4xf32>
}

