
//===----------------------------------------------------------------------===//
// nf.scale, nf.bias_add
//===----------------------------------------------------------------------===//

// gamma runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.scale' op operand #1 (gamma) must have shape [4] (the input's last dimension), but got [3]}}
  %0 = nf.scale %x, %g : tensor<2x4xf32>, tensor<3xf32>
  return %0 : tensor<2x4xf32>
}

