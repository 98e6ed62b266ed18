
// A random init has no known rms: refused.
nf.param @g : tensor<4xf32> init <normal(0.1)> group <scale>

