
// Warmup and decay fit in the run.
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op warmup (80) and decay (40) must be >= 0 and fit in total (100)}}
  %0 = nf.lr_factor %t <wsd> warmup(80) total(100) decay(40) min(0.1)
  return %0 : tensor<f32>
}

