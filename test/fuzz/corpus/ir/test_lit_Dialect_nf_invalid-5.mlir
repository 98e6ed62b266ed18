
// normal needs its std in parentheses.
nf.param @w : tensor<4x4xf32> init <normal> group <matrix>

