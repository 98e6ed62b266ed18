
// gamma has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.scale' op operand #1 (gamma) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.scale %x, %g : tensor<2x4xf32>, tensor<4xf64>
  return %0 : tensor<2x4xf32>
}

