
// The loss is a mean: a 0-D tensor (ODS constraint).
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'nf.cross_entropy' op result #0 must be 0D tensor of floating-point values, but got 'tensor<2xf32>'}}
  %0 = nf.cross_entropy %l, %t : tensor<2x5xf32>, tensor<2xi32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

