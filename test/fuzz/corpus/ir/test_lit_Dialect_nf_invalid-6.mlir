
// ones and zeros carry no value.
nf.param @b : tensor<4xf32> init <zeros(0.0)> group <bias>

