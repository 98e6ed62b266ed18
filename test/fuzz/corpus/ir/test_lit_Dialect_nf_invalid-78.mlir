
// Attention works on [B, T, H, hd], i.e. after split_heads.
func.func @f(%q: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.attention' op operands must be [B, T, H, hd], but query is [2, 3, 8]}}
  %0 = nf.attention %q, %q, %q : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

