// Idempotent: running twice equals running once.
// nf-unfuse undoes it: fuse then unfuse gives back the unfused graph.

// QKV: one shared gamma, three weights -> one op with three results.
// UNFUSE-LABEL: func.func @qkv
// UNFUSE: %[[N:.*]] = nf.rmsnorm
// UNFUSE: %[[S:.*]] = nf.scale %[[N]]
// UNFUSE-NOT: nf.scale
// UNFUSE-COUNT-3: nf.linear %[[S]]
// UNFUSE-NOT: nf.fused_norm_linear
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @wq : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wk : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wv : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @qkv(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %wq = nf.get_param @wq : tensor<8x8xf32>
  %q = nf.linear %s, %wq : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wk = nf.get_param @wk : tensor<8x8xf32>
  %k = nf.linear %s, %wk : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wv = nf.get_param @wv : tensor<8x8xf32>
  %v = nf.linear %s, %wv : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %q, %k, %v : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

