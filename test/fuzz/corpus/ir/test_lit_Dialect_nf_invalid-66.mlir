
// The result is the input with its last dimension replaced by out.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear' op result must have shape [2, 8], but got [2, 4]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

