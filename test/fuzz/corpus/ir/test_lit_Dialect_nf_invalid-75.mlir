
// merge_heads takes [B, T, H, hd].
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.merge_heads' op operand #0 (input) must be [B, T, H, hd], but got [2, 3, 8]}}
  %0 = nf.merge_heads %x : tensor<2x3x8xf32> -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

