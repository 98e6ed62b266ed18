
// Token ids are i32 (ODS constraint).
func.func @f(%t: tensor<2x3xi64>, %e: tensor<16x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.embedding' op operand #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2x3xi64>'}}
  %0 = nf.embedding %t, %e : tensor<2x3xi64>, tensor<16x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

