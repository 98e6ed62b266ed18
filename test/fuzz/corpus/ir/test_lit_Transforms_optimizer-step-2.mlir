
module {
  nf.param @r : tensor<f32> init <constant(1.0)> group <state>
}
