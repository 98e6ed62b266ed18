
// A bias is 1-D.
nf.param @b : tensor<f32> init <zeros> group <bias>

