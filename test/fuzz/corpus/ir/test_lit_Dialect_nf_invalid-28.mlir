
// Two parameters cannot share a name.
nf.param @w : tensor<4xf32> init <ones> group <bias>
nf.param @w : tensor<4xf32> init <zeros> group <bias>

