
// Activations take floating-point tensors (ODS constraint).
func.func @f(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'nf.gelu' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = nf.gelu %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

