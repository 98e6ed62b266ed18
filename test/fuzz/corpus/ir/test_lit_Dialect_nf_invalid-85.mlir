
// rhs has lhs's element type.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<2x4xbf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.add %x, %y : tensor<2x4xf32>, tensor<2x4xbf16>
  return %0 : tensor<2x4xf32>
}

