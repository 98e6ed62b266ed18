
// linear_grad: the cotangent has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %g: tensor<2x8xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #2 (grad) must have element type 'f32' like the input, but got 'f16'}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x4xf32>, tensor<2x8xf16>
  return %0 : tensor<2x4xf32>
}

