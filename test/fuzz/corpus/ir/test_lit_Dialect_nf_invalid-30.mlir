
// @g is a symbol, but a function, not an nf.param.
func.func @g() {
  return
}
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{'nf.get_param' op '@g' does not name an nf.param in this module}}
  %0 = nf.get_param @g : tensor<4xf32>
  return %0 : tensor<4xf32>
}

