
//===----------------------------------------------------------------------===//
// Gradient ops
//===----------------------------------------------------------------------===//

// reduce_to sums leading dimensions away: [2] is not a suffix of [2, 4].
func.func @f(%x: tensor<2x4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'nf.reduce_to' op result shape [2] must be a suffix of the input shape [2, 4]}}
  %0 = nf.reduce_to %x : tensor<2x4xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

