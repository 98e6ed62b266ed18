
// 'foo' is not a parameter group (generated enum parser).
nf.param @w : tensor<4x4xf32> init <zeros> group <foo>

