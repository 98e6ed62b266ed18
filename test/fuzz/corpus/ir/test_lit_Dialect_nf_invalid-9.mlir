
// A parameter's type is a ranked tensor (ODS constraint on the type attribute).
nf.param @w : tensor<*xf32> init <zeros> group <matrix>

