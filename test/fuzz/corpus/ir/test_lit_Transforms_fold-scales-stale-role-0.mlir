
// A role written by hand that the graph contradicts is not trusted.
nf.param @g : tensor<8xf32> init <ones> group <scale> role <input>
func.func @stale_input(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

