
// Logits need a vocabulary dimension.
func.func @f(%l: tensor<f32>, %t: tensor<i32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.cross_entropy' op operand #0 (logits) must have rank >= 1, but got []}}
  %0 = nf.cross_entropy %l, %t : tensor<f32>, tensor<i32> -> tensor<f32>
  return %0 : tensor<f32>
}

