
// get_param gives a statically shaped tensor (ODS constraint).
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f() -> tensor<?xf32> {
  // expected-error @+1 {{'nf.get_param' op result #0 must be statically shaped tensor of any type values, but got 'tensor<?xf32>'}}
  %0 = nf.get_param @g : tensor<?xf32>
  return %0 : tensor<?xf32>
}

