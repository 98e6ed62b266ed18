
//===----------------------------------------------------------------------===//
// nf.split_heads, nf.merge_heads, nf.attention
//===----------------------------------------------------------------------===//

// split_heads takes [B, T, D].
func.func @f(%x: tensor<2x8xf32>) -> tensor<2x1x2x4xf32> {
  // expected-error @+1 {{'nf.split_heads' op operand #0 (input) must be [B, T, D], but got [2, 8]}}
  %0 = nf.split_heads %x : tensor<2x8xf32> -> tensor<2x1x2x4xf32>
  return %0 : tensor<2x1x2x4xf32>
}

