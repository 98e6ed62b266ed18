
// An embedding table is 2-D [vocab, d].
nf.param @wte : tensor<16xf32> init <normal(0.02)> group <embedding>

