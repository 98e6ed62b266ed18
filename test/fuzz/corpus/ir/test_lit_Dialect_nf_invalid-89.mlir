
//===----------------------------------------------------------------------===//
// nf.cross_entropy
//===----------------------------------------------------------------------===//

// Targets are the logits without the vocabulary dimension.
func.func @f(%l: tensor<2x3x5xf32>, %t: tensor<2x5xi32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.cross_entropy' op operand #1 (targets) must have shape [2, 3] (the logits without the vocabulary dimension), but got [2, 5]}}
  %0 = nf.cross_entropy %l, %t : tensor<2x3x5xf32>, tensor<2x5xi32> -> tensor<f32>
  return %0 : tensor<f32>
}

