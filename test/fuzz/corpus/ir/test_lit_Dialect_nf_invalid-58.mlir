
// beta is a vector over the last dimension, not a full tensor.
func.func @f(%x: tensor<2x4xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.bias_add' op operand #1 (bias) must have shape [4] (the input's last dimension), but got [2, 4]}}
  %0 = nf.bias_add %x, %b : tensor<2x4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

