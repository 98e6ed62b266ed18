// Idempotent.

// Muon is really orthogonalized: after lowering, Newton-Schulz with the
// quintic coefficients runs on the momentum update (a "Muon" that ran SGD
// would have no nf.newton_schulz here).
// Keller's scale for an 8x4 (rows > cols) matrix: sqrt(8 / 4).
func.func @tall(%p: tensor<8x4xf32>, %g: tensor<8x4xf32>, %b: tensor<8x4xf32>, %lr: tensor<f32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %np, %nb = nf.muon %p, %g, %b lr(%lr) momentum(0.95) nesterov(true) ns_steps(5) scale <keller> wd(0.1) : tensor<8x4xf32>
  return %np, %nb : tensor<8x4xf32>, tensor<8x4xf32>
}

// Moonshot's match_adamw: 0.2 sqrt(max(4, 16)) = 0.8; wide matrices get
// Keller factor 1.
func.func @wide(%p: tensor<4x16xf32>, %g: tensor<4x16xf32>, %b: tensor<4x16xf32>, %lr: tensor<f32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %np, %nb = nf.muon %p, %g, %b lr(%lr) momentum(0.9) nesterov(false) ns_steps(3) scale <match_adamw> wd(0.0) : tensor<4x16xf32>
  return %np, %nb : tensor<4x16xf32>, tensor<4x16xf32>
}
