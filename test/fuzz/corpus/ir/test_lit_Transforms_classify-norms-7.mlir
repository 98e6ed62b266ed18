
// A scale vector nothing reads: warned about, and given the conservative role.
nf.param @unused : tensor<8xf32> init <ones> group <scale>
