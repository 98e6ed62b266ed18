
// attention_grad works on [B, T, H, hd].
func.func @f(%q: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.attention_grad' op operands must be [B, T, H, hd], but query is [2, 3, 8]}}
  %0, %1, %2 = nf.attention_grad %q, %q, %q, %q : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

