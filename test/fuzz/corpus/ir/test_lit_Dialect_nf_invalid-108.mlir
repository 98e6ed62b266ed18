
// update_param at the wrong type.
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f(%v: tensor<2xf32>) {
  // expected-error @+1 {{'nf.update_param' op value type 'tensor<2xf32>' does not match parameter @g of type 'tensor<4xf32>'}}
  nf.update_param @g, %v : tensor<2xf32>
  return
}

