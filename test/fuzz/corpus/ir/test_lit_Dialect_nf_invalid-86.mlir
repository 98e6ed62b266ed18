
// Also for a broadcast 0-D rhs.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.mul' op operand #1 (rhs) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.mul %x, %y : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

