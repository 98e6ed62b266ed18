
nf.param @g : tensor<4xf32> init <constant(0.0)> group <scale>
