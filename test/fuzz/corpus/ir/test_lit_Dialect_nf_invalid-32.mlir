
// Reading a parameter at the wrong element type.
nf.param @w : tensor<8x4xbf16> init <normal(0.02)> group <matrix>
func.func @f() -> tensor<8x4xf32> {
  // expected-error @+1 {{'nf.get_param' op result type 'tensor<8x4xf32>' does not match parameter @w of type 'tensor<8x4xbf16>'}}
  %0 = nf.get_param @w : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

