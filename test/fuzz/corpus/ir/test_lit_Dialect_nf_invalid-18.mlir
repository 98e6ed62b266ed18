
// Only scale vectors have an Input-Norm / Output-Norm role.
nf.param @b : tensor<4xf32> init <zeros> group <bias> role <input>

