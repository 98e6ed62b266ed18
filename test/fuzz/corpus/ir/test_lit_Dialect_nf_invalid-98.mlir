
// reduce_to cannot add dimensions.
func.func @f(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.reduce_to' op result shape [2, 4] must be a suffix of the input shape [4]}}
  %0 = nf.reduce_to %x : tensor<4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

