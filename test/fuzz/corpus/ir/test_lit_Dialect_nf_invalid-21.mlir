
// A parameter cannot take its own value.
nf.param @g : tensor<4xf32> init <ones> group <scale> derived_from("g")

