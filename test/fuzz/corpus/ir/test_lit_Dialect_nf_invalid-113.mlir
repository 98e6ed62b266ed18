
// The final lr ratio is in [0, 1].
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op attribute 'min_ratio' must be in [0, 1], but got 2}}
  %0 = nf.lr_factor %t <warmup_cosine> warmup(10) total(100) decay(0) min(2.0)
  return %0 : tensor<f32>
}

