
// One case per diagnostic that the nf dialect's C++ can emit (NFAttrs.cpp,
// NFOps.cpp, NFOptimizerOps.cpp), plus a few ODS-generated type-constraint
// errors. Each case says why its IR is invalid. Most nf.fused_norm_linear
// messages are in fused-norm-linear.mlir; the rest are here.

//===----------------------------------------------------------------------===//
// #nf.init (NFAttrs.cpp)
//===----------------------------------------------------------------------===//

// 'uniform' is not an init kind.
nf.param @w : tensor<4x4xf32> init <uniform(0.1)> group <matrix>

