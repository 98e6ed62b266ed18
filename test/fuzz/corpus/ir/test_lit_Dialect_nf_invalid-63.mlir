
// W's in-dimension is the input's last dimension ([in, out] is the wrong layout).
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must have shape [4, 4] ([out, in], in = the input's last dimension), but got [4, 8]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

