
// Parameters live at module level (HasParent<ModuleOp>).
func.func @f() {
  // expected-error @+1 {{'nf.param' op expects parent op 'builtin.module'}}
  nf.param @w : tensor<4xf32> init <ones> group <bias>
  return
}

