
// Only rhs broadcasts: it cannot have more dimensions than lhs.
func.func @f(%x: tensor<4xf32>, %y: tensor<2x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have lhs's shape [4] or a suffix of it (broadcast over leading dimensions), but got [2, 4]}}
  %0 = nf.add %x, %y : tensor<4xf32>, tensor<2x4xf32>
  return %0 : tensor<4xf32>
}

