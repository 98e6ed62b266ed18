
// A magnitude is 0-D (per vector) or 1-D (per channel).
nf.param @m : tensor<2x2xf32> init <ones> group <magnitude>

