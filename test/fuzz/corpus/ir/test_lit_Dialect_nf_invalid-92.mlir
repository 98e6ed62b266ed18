
// Targets are i32 token ids (ODS constraint).
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.cross_entropy' op operand #1 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = nf.cross_entropy %l, %t : tensor<2x5xf32>, tensor<2xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

