
// derived_from names a parameter; '' names none.
nf.param @g : tensor<4xf32> init <ones> group <scale> derived_from("")

