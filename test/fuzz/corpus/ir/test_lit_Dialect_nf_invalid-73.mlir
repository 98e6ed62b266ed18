
// split_heads gives a 4-D result.
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.split_heads' op result must be [2, 3, H, hd] with H * hd = 8, but got [2, 3, 8]}}
  %0 = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

