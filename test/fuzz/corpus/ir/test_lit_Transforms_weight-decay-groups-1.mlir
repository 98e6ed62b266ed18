
// A scale vector without a role cannot be decided.
nf.param @g : tensor<8xf32> init <ones> group <scale>
