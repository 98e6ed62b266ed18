
// 0x7FF0000000000000 is +inf as an f64 bit pattern: not a usable fill value.
nf.param @a : tensor<f32> init <constant(0x7FF0000000000000)> group <scalar>

