
// The step count is a 0-D f32 tensor (ODS constraint).
func.func @f(%t: tensor<i32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op operand #0 must be 0D tensor of 32-bit float values, but got 'tensor<i32>'}}
  %0 = "nf.lr_factor"(%t) <{kind = #nf.schedule<constant>, warmup = 0 : i64, total = 1 : i64, decay = 0 : i64, min_ratio = 0.0 : f64}> : (tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}

