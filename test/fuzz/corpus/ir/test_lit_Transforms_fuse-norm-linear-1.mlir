
// Branch-specific scales and a bias per branch (after nf-branch-scales),
// DyT with its alpha.
// UNFUSE-LABEL: func.func @dyt_branches
// UNFUSE: %[[N:.*]] = nf.dyt
// UNFUSE: %[[S1:.*]] = nf.scale %[[N]]
// UNFUSE: %[[B1:.*]] = nf.bias_add %[[S1]]
// UNFUSE: nf.linear %[[B1]]
// UNFUSE: %[[S2:.*]] = nf.scale %[[N]]
// UNFUSE: %[[B2:.*]] = nf.bias_add %[[S2]]
// UNFUSE: nf.linear %[[B2]]
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @g1 : tensor<8xf32> init <ones> group <scale>
nf.param @g2 : tensor<8xf32> init <ones> group <scale>
nf.param @b1 : tensor<8xf32> init <zeros> group <bias>
nf.param @b2 : tensor<8xf32> init <zeros> group <bias>
nf.param @w1 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @w2 : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @dyt_branches(%x: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %a = nf.get_param @a : tensor<f32>
  %n = nf.dyt %x, %a : tensor<2x8xf32>, tensor<f32>
  %g1 = nf.get_param @g1 : tensor<8xf32>
  %s1 = nf.scale %n, %g1 : tensor<2x8xf32>, tensor<8xf32>
  %b1 = nf.get_param @b1 : tensor<8xf32>
  %t1 = nf.bias_add %s1, %b1 : tensor<2x8xf32>, tensor<8xf32>
  %w1 = nf.get_param @w1 : tensor<16x8xf32>
  %y1 = nf.linear %t1, %w1 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  %g2 = nf.get_param @g2 : tensor<8xf32>
  %s2 = nf.scale %n, %g2 : tensor<2x8xf32>, tensor<8xf32>
  %b2 = nf.get_param @b2 : tensor<8xf32>
  %t2 = nf.bias_add %s2, %b2 : tensor<2x8xf32>, tensor<8xf32>
  %w2 = nf.get_param @w2 : tensor<16x8xf32>
  %y2 = nf.linear %t2, %w2 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y1, %y2 : tensor<2x16xf32>, tensor<2x16xf32>
}

