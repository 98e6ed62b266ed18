
// Plain: only the optimizer plan is added.
// PLAIN: nf.param @g : tensor<8xf32> init <ones> group <scale> role <input> weight_decay(1.000000e-01) optimizer <adamw>
// PLAIN: nf.param @wq : tensor<8x8xf32> {{.*}} weight_decay(1.000000e-01) optimizer <adamw>
// PLAIN-COUNT-2: nf.linear

// Unified: heterogeneity + placement both + reparam vector, classified,
// decayed, Muon on matrices, then fused.
// UNIFIED-DAG: nf.param @g.wq.direction : tensor<8xf32> init <ones> group <direction> weight_decay(0.000000e+00) optimizer <adamw> derived_from("g.wq")
// UNIFIED-DAG: nf.param @g.wk.magnitude : tensor<f32> init <constant(1.000000e+00)> group <magnitude> weight_decay(0.000000e+00) optimizer <adamw>
// UNIFIED-DAG: nf.param @wq.out_scale.direction : tensor<8xf32>
// UNIFIED-DAG: nf.param @wq : tensor<8x8xf32> {{.*}} optimizer <muon>
// UNIFIED: nf.fused_norm_linear <rmsnorm>
// UNIFIED-NOT: nf.linear

// DROP: remark: nf-drop-scales: removed 1 scale vectors (which=input)
// DROP-NOT: group <scale>
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @wq : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wk : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @qk(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %wq = nf.get_param @wq : tensor<8x8xf32>
  %q = nf.linear %s, %wq : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wk = nf.get_param @wk : tensor<8x8xf32>
  %k = nf.linear %s, %wk : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %q, %k : tensor<2x8xf32>, tensor<2x8xf32>
}
