
// Newton-Schulz runs at least one step.
func.func @f(%g: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'nf.newton_schulz' op steps must be >= 1, but got 0}}
  %0 = nf.newton_schulz %g steps(0) coeffs(3.4445, -4.775, 2.0315) : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

