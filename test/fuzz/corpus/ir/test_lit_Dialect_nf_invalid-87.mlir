
// The result has lhs's type (AllTypesMatch).
func.func @f(%x: tensor<2x4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.add' op failed to verify that all of {lhs, result} have same type}}
  %0 = "nf.add"(%x, %y) : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

