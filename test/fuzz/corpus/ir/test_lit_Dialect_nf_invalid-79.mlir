
// RoPE's theta is positive.
func.func @f(%q: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention' op attribute 'rope_theta' must be in (0, inf), but got 0}}
  %0 = nf.attention %q, %q, %q rope(0.0) : tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

