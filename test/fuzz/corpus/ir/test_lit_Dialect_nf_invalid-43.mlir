
// The result has the input's type (SameOperandsAndResultType).
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf16> {
  // expected-error @+1 {{'nf.rmsnorm' op requires the same type for all operands and results}}
  %0 = "nf.rmsnorm"(%x) <{eps = 1.0e-6 : f64}> : (tensor<2x4xf32>) -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

