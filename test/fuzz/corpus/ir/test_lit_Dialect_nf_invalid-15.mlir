
// The direction of a reparameterized scale vector is 1-D.
nf.param @v : tensor<2x4xf32> init <ones> group <direction>

