
// The loss has the logits' element type.
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xi32>) -> tensor<f64> {
  // expected-error @+1 {{'nf.cross_entropy' op result must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.cross_entropy %l, %t : tensor<2x5xf32>, tensor<2xi32> -> tensor<f64>
  return %0 : tensor<f64>
}

