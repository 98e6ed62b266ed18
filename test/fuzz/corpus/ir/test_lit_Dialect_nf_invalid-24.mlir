
// State is not trained, so it has no weight decay (not even 0).
nf.param @r : tensor<f32> init <constant(1.0)> group <state> weight_decay(0.0)

