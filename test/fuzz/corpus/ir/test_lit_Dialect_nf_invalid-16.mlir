
// A scalar is 0-D, not a 1-element vector.
nf.param @a : tensor<1xf32> init <constant(0.5)> group <scalar>

