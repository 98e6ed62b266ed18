
// DyT is pointwise: the result has the input's type (AllTypesMatch).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nf.dyt' op failed to verify that all of {input, result} have same type}}
  %0 = "nf.dyt"(%x, %a) : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

