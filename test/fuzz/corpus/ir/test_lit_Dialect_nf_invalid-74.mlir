
// split_heads only reshapes: the element type stays.
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x2x4xf16> {
  // expected-error @+1 {{'nf.split_heads' op result must have element type 'f32' like the input, but got 'f16'}}
  %0 = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x2x4xf16>
  return %0 : tensor<2x3x2x4xf16>
}

