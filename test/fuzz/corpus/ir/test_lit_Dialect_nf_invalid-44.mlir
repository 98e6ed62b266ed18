
// eps is an f64 attribute (ODS constraint).
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm' op attribute 'eps' failed to satisfy constraint: 64-bit float attribute}}
  %0 = "nf.rmsnorm"(%x) <{eps = 1.0e-6 : f32}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

