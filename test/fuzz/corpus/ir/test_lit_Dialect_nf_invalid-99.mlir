
// reduce_to keeps the element type.
func.func @f(%x: tensor<2x4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'nf.reduce_to' op result must have element type 'f32' like the input, but got 'f16'}}
  %0 = nf.reduce_to %x : tensor<2x4xf32> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

