
// merge_heads gives [B, T, H * hd].
func.func @f(%x: tensor<2x3x2x4xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'nf.merge_heads' op result must have shape [2, 3, 8], but got [2, 3, 6]}}
  %0 = nf.merge_heads %x : tensor<2x3x2x4xf32> -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

