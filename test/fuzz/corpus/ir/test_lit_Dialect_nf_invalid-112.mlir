
// Warmup is not negative.
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op warmup (-1) and decay (0) must be >= 0 and fit in total (100)}}
  %0 = nf.lr_factor %t <warmup_cosine> warmup(-1) total(100) decay(0) min(0.1)
  return %0 : tensor<f32>
}

