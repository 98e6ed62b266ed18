// RUN: nf-opt %s -split-input-file -nf-branch-scales | FileCheck %s
// Idempotent: running twice equals running once.
// RUN: nf-opt %s -split-input-file -nf-branch-scales > %t.once
// RUN: nf-opt %t.once -split-input-file -nf-branch-scales > %t.twice
// RUN: diff %t.once %t.twice

// A shared gamma feeding Q, K and V becomes one vector per branch, each
// derived from the shared one; the shared parameter disappears.
// CHECK-LABEL: module
// CHECK-NOT: nf.param @g :
// CHECK: nf.param @g.wq : tensor<8xf32> init <ones> group <scale> derived_from("g")
// CHECK-NEXT: nf.param @g.wk : tensor<8xf32> init <ones> group <scale> derived_from("g")
// CHECK-NEXT: nf.param @g.wv : tensor<8xf32> init <ones> group <scale> derived_from("g")
// CHECK-LABEL: func.func @qkv
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// CHECK: %[[N:.*]] = nf.rmsnorm %[[X]]
// CHECK: %[[GQ:.*]] = nf.get_param @g.wq
// CHECK: %[[SQ:.*]] = nf.scale %[[N]], %[[GQ]]
// CHECK: nf.linear %[[SQ]], %{{.*}}
// CHECK: %[[GK:.*]] = nf.get_param @g.wk
// CHECK: %[[SK:.*]] = nf.scale %[[N]], %[[GK]]
// CHECK: nf.linear %[[SK]], %{{.*}}
// CHECK: %[[GV:.*]] = nf.get_param @g.wv
// CHECK: %[[SV:.*]] = nf.scale %[[N]], %[[GV]]
// CHECK: nf.linear %[[SV]], %{{.*}}
// CHECK-NOT: nf.get_param @g :
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @wq : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wk : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @wv : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @qkv(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %wq = nf.get_param @wq : tensor<8x8xf32>
  %q = nf.linear %s, %wq : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wk = nf.get_param @wk : tensor<8x8xf32>
  %k = nf.linear %s, %wk : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %wv = nf.get_param @wv : tensor<8x8xf32>
  %v = nf.linear %s, %wv : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %q, %k, %v : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// A norm with a bias: gamma and beta are both split per branch.
// CHECK-LABEL: module
// CHECK: nf.param @g.w_gate : tensor<8xf32> init <ones> group <scale> derived_from("g")
// CHECK: nf.param @g.w_up : tensor<8xf32> init <ones> group <scale> derived_from("g")
// CHECK: nf.param @b.w_gate : tensor<8xf32> init <zeros> group <bias> derived_from("b")
// CHECK: nf.param @b.w_up : tensor<8xf32> init <zeros> group <bias> derived_from("b")
// CHECK-LABEL: func.func @gate_up
// CHECK: %[[S1:.*]] = nf.scale
// CHECK: %[[B1:.*]] = nf.bias_add %[[S1]]
// CHECK: nf.linear %[[B1]]
// CHECK: %[[S2:.*]] = nf.scale
// CHECK: %[[B2:.*]] = nf.bias_add %[[S2]]
// CHECK: nf.linear %[[B2]]
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @w_gate : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @w_up : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @gate_up(%x: tensor<2x8xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %b = nf.get_param @b : tensor<8xf32>
  %n = nf.layernorm %x eps(1.0e-5) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %sb = nf.bias_add %s, %b : tensor<2x8xf32>, tensor<8xf32>
  %w1 = nf.get_param @w_gate : tensor<16x8xf32>
  %y1 = nf.linear %sb, %w1 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  %w2 = nf.get_param @w_up : tensor<16x8xf32>
  %y2 = nf.linear %sb, %w2 : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y1, %y2 : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// A consumer that is not a linear map keeps the shared vector.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale>{{$}}
// CHECK: nf.param @g.w1 : {{.*}} derived_from("g")
// CHECK: nf.param @g.w2 : {{.*}} derived_from("g")
// CHECK-LABEL: func.func @mixed
// CHECK: %[[G:.*]] = nf.get_param @g :
// CHECK: %[[S:.*]] = nf.scale %{{.*}}, %[[G]]
// CHECK: nf.add %{{.*}}, %[[S]]
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w1 : tensor<8x8xf32> init <normal(0.02)> group <matrix>
nf.param @w2 : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @mixed(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %g = nf.get_param @g : tensor<8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  %w1 = nf.get_param @w1 : tensor<8x8xf32>
  %y1 = nf.linear %s, %w1 : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %w2 = nf.get_param @w2 : tensor<8x8xf32>
  %y2 = nf.linear %s, %w2 : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %r = nf.add %x, %s : tensor<2x8xf32>, tensor<2x8xf32>
  return %y1, %y2, %r : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Unchanged: a scale vector with a single linear consumer is already
// branch-specific.
// CHECK-LABEL: module
// CHECK: nf.param @g : tensor<8xf32> init <ones> group <scale>{{$}}
// CHECK-NOT: derived_from
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @single(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %s = nf.scale %x, %g : tensor<2x8xf32>, tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
