
// Reading a parameter at the wrong shape.
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f() -> tensor<8xf32> {
  // expected-error @+1 {{'nf.get_param' op result type 'tensor<8xf32>' does not match parameter @g of type 'tensor<4xf32>'}}
  %0 = nf.get_param @g : tensor<8xf32>
  return %0 : tensor<8xf32>
}

