
//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

// A row normalization reduces over a last dimension, which 0-D lacks.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<f32>
  return %0 : tensor<f32>
}

