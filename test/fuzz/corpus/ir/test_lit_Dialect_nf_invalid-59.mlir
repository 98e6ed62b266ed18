
// beta has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %b: tensor<4xbf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.bias_add' op operand #1 (bias) must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.bias_add %x, %b : tensor<2x4xf32>, tensor<4xbf16>
  return %0 : tensor<2x4xf32>
}

