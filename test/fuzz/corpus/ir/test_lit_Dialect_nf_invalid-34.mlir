
// Only state can be assigned; trained parameters go through nf.update_param.
nf.param @m : tensor<2x2xf32> init <zeros> group <matrix>
func.func @f(%v: tensor<2x2xf32>) {
  // expected-error @+1 {{'nf.assign_state' op only 'state' parameters can be assigned, but @m is in group 'matrix'}}
  nf.assign_state @m, %v : tensor<2x2xf32>
  return
}

