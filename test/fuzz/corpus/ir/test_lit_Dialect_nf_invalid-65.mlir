
// The result has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x8xf16> {
  // expected-error @+1 {{'nf.linear' op result must have element type 'f32' like the input, but got 'f16'}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

