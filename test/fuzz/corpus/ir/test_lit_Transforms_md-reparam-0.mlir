// Idempotent: running twice equals running once (no scale-group vectors left).

// gamma = g * v / rms(v): v starts at gamma's init (derived from gamma), g at
// rms(gamma0) = 1 for ones, so gamma is unchanged at the rewrite.
// per=channel: the magnitude is a vector.
// CHAN-LABEL: module
// CHAN: nf.param @g.magnitude : tensor<8xf32> init <constant(1.000000e+00)> group <magnitude>
// CHAN: nf.mul %{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xf32>
// BAD: error: nf-md-reparam: unknown per 'row'; expected vector or channel
nf.param @g : tensor<8xf32> init <ones> group <scale> role <input>
func.func @scaled(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  return %s : tensor<2x8xf32>
}

