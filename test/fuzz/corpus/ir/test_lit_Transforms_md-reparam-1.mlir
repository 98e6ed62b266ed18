
// A constant init c gives rms |c|; non-scale parameters are left alone.
// CHAN-LABEL: module
nf.param @g : tensor<4xf32> init <constant(-2.0)> group <scale>
nf.param @b : tensor<4xf32> init <zeros> group <bias>
func.func @constant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %g = nf.get_param @g : tensor<4xf32>
  %b = nf.get_param @b : tensor<4xf32>
  %s = nf.scale %x, %g : tensor<4xf32>, tensor<4xf32>
  %y = nf.bias_add %s, %b : tensor<4xf32>, tensor<4xf32>
  return %y : tensor<4xf32>
}

