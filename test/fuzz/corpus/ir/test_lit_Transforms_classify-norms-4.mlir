
// QK-norm: the scaled per-head queries feed attention -> output. A role
// written before is recomputed, not trusted.
nf.param @gq : tensor<4xf32> init <ones> group <scale> role <input>
func.func @qk_norm(%q: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  %g = nf.get_param @gq : tensor<4xf32>
  %n = nf.rmsnorm %q eps(1.0e-6) : tensor<1x2x2x4xf32>
  %s = nf.scale %n, %g : tensor<1x2x2x4xf32>, tensor<4xf32>
  %o = nf.attention %s, %s, %q rope(1.0e4) : tensor<1x2x2x4xf32>
  return %o : tensor<1x2x2x4xf32>
}

