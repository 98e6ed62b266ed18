
// Weight decay is finite (0x7FF0000000000000 is +inf).
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix> weight_decay(0x7FF0000000000000)

