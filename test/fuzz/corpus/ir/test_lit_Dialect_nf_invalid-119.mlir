
// Newton-Schulz orthogonalizes matrices.
func.func @f(%g: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  // expected-error @+1 {{'nf.newton_schulz' op newton_schulz works on 2-D matrices, but got 'tensor<2x2x2xf32>'}}
  %0 = nf.newton_schulz %g steps(5) coeffs(3.4445, -4.775, 2.0315) : tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

