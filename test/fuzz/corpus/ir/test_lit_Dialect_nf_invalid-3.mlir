
// A zero standard deviation is not positive either (use zeros).
nf.param @w : tensor<4x4xf32> init <normal(0.0)> group <matrix>

