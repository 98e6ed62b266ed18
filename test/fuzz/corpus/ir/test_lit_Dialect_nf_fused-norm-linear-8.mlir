
func.func @no_weights(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'nf.fused_norm_linear' op needs at least one weight}}
  nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights() : (tensor<2x8xf32>) -> ()
  return
}

