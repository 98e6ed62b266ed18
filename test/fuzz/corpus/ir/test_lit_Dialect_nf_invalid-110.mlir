
// A schedule has steps.
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op total must be > 0, but got 0}}
  %0 = nf.lr_factor %t <constant> warmup(0) total(0) decay(0) min(0.1)
  return %0 : tensor<f32>
}

