
// RoPE rotates pairs of channels, so the head dimension is even.
func.func @f(%q: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  // expected-error @+1 {{'nf.attention' op rope rotates pairs of channels: the head dimension must be even, but got 3}}
  %0 = nf.attention %q, %q, %q rope(1.0e4) : tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

