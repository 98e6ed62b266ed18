
// Parameters are floating point.
nf.param @w : tensor<4x4xi32> init <zeros> group <matrix>

