// RUN: nf-opt %s | FileCheck %s
// CHECK: nf.param @w
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix>
