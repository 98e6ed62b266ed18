
// update_param of a parameter that does not exist.
func.func @f(%v: tensor<2xf32>) {
  // expected-error @+1 {{'nf.update_param' op '@g' does not name an nf.param in this module}}
  nf.update_param @g, %v : tensor<2xf32>
  return
}

