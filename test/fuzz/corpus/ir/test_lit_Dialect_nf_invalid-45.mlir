
// DyT's alpha is a 0-D tensor (ODS constraint).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<1xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.dyt' op operand #1 must be 0D tensor of floating-point values, but got 'tensor<1xf32>'}}
  %0 = nf.dyt %x, %a : tensor<2x4xf32>, tensor<1xf32>
  return %0 : tensor<2x4xf32>
}

