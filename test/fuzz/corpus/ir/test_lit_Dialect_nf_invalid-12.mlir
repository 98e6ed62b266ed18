
// An LM head is 2-D [vocab, d].
nf.param @lm_head : tensor<2x16x4xf32> init <zeros> group <head>

