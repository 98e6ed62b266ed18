
// q, k and v have one type (AllTypesMatch).
func.func @f(%q: tensor<1x2x2x4xf32>, %k: tensor<1x3x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention' op failed to verify that all of {query, key, value, result} have same type}}
  %0 = "nf.attention"(%q, %k, %q) : (tensor<1x2x2x4xf32>, tensor<1x3x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

