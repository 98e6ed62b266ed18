
// merge_heads only reshapes: the element type stays.
func.func @f(%x: tensor<2x3x2x4xf32>) -> tensor<2x3x8xbf16> {
  // expected-error @+1 {{'nf.merge_heads' op result must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.merge_heads %x : tensor<2x3x2x4xf32> -> tensor<2x3x8xbf16>
  return %0 : tensor<2x3x8xbf16>
}

