
// Muon orthogonalizes matrices; a vector has no orthogonal form.
nf.param @g : tensor<4xf32> init <ones> group <scale> optimizer <muon>

