
// Derf's alpha and shift have one type (AllTypesMatch).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>, %s: tensor<f16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf' op failed to verify that all of {alpha, shift} have same type}}
  %0 = "nf.derf"(%x, %a, %s) : (tensor<2x4xf32>, tensor<f32>, tensor<f16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

