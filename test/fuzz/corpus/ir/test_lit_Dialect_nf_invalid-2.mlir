
// A standard deviation is positive.
nf.param @w : tensor<4x4xf32> init <normal(-0.02)> group <matrix>

