
// No size-1 broadcasting: [1, 4] is not a suffix of [2, 3, 4].
func.func @f(%x: tensor<2x3x4xf32>, %y: tensor<1x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.mul' op operand #1 (rhs) must have lhs's shape [2, 3, 4] or a suffix of it (broadcast over leading dimensions), but got [1, 4]}}
  %0 = nf.mul %x, %y : tensor<2x3x4xf32>, tensor<1x4xf32>
  return %0 : tensor<2x3x4xf32>
}

