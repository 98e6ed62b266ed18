
// The table is [vocab, d].
func.func @f(%t: tensor<2x3xi32>, %e: tensor<16xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.embedding' op operand #1 (table) must be 2-D [vocab, d], but got [16]}}
  %0 = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

