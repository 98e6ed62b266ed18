
// attention_grad: RoPE's theta is positive.
func.func @f(%q: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention_grad' op attribute 'rope_theta' must be in (0, inf), but got -1}}
  %0, %1, %2 = nf.attention_grad %q, %q, %q, %q rope(-1.0) : tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

