
// State is not trained, so it has no optimizer.
nf.param @r : tensor<f32> init <constant(1.0)> group <state> optimizer <adamw>

