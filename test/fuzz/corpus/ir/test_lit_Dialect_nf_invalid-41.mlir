
// Normalizations take floating-point tensors (ODS constraint).
func.func @f(%x: tensor<2x4xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x4xi32>'}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

