
//===----------------------------------------------------------------------===//
// nf.add, nf.mul, nf.gelu
//===----------------------------------------------------------------------===//

// rhs broadcasts over leading dimensions only: [2] is a prefix of [2, 4].
func.func @f(%x: tensor<2x4xf32>, %y: tensor<2xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have lhs's shape [2, 4] or a suffix of it (broadcast over leading dimensions), but got [2]}}
  %0 = nf.add %x, %y : tensor<2x4xf32>, tensor<2xf32>
  return %0 : tensor<2x4xf32>
}

