
module {
  // expected-error @+1 {{'func.func' op nf-autodiff differentiates a single-block function returning one 0-D loss}}
  func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
    return %x : tensor<2xf32>
  }
}
