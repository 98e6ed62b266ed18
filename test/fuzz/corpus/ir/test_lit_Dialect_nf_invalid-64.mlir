
// W has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xbf16>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xbf16> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

