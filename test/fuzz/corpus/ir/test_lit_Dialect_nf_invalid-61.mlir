
//===----------------------------------------------------------------------===//
// nf.linear, nf.embedding
//===----------------------------------------------------------------------===//

// x W^T contracts the input's last dimension, which 0-D lacks.
func.func @f(%x: tensor<f32>, %w: tensor<4x1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.linear' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.linear %x, %w : tensor<f32>, tensor<4x1xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

