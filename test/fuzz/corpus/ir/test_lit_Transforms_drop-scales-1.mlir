
// Nothing to remove: the count is zero and the IR unchanged.
// ALL-LABEL: module
// ALL: nf.param @w : tensor<8x8xf32>
module {
  nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
}
