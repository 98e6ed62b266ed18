
// Peri-Norm branch output: the scaled value reaches the residual add -> output.
nf.param @g : tensor<8xf32> init <ones> group <scale>
func.func @branch_output(%x: tensor<2x8xf32>, %f: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %f eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

