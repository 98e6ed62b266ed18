
// A scale vector is 1-D.
nf.param @g : tensor<4x4xf32> init <ones> group <scale>

