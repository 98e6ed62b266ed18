
// Weight decay is not negative.
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix> weight_decay(-0.1)

