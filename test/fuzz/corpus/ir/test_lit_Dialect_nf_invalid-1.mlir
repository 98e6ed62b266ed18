
// Init kinds are case-sensitive, also when written as a string.
nf.param @w : tensor<4x4xf32> init <"Normal"(0.02)> group <matrix>

