
// Shapes are static (ODS constraint).
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<?x4xf32>'}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

