
// An Output-Norm vector is refused: folding would change what the residual
// add sees. By default a warning, and the vector stays.
// STRICT: error: 'nf.scale' op cannot fold Output-Norm scale vector @g into the weights: its output reaches 'nf.add', which is not a linear map, so folding would change the function
nf.param @g : tensor<8xf32> init <ones> group <scale>
func.func @branch_output(%x: tensor<2x8xf32>, %f: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %f eps(1.0e-6) : tensor<2x8xf32>
  // expected-warning @+1 {{cannot fold Output-Norm scale vector @g into the weights: its output reaches 'nf.add', which is not a linear map, so folding would change the function}}
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
