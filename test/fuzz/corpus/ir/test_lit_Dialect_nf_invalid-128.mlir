
// attention_grad: RoPE needs an even head dimension.
func.func @f(%q: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  // expected-error @+1 {{'nf.attention_grad' op rope rotates pairs of channels: the head dimension must be even, but got 3}}
  %0, %1, %2 = nf.attention_grad %q, %q, %q, %q rope(1.0e4) : tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

