// RUN: nf-opt %s -nf-assign-optimizer=optimizer=muon | FileCheck %s --check-prefix=MUON
// RUN: nf-opt %s -nf-assign-optimizer | FileCheck %s --check-prefix=ADAMW
// RUN: nf-opt %s -nf-assign-optimizer="optimizer=muon muon-groups=matrix,head" | FileCheck %s --check-prefix=HEAD
// Idempotent: running twice equals running once.
// RUN: nf-opt %s -nf-assign-optimizer=optimizer=muon > %t.once
// RUN: nf-opt %t.once -nf-assign-optimizer=optimizer=muon > %t.twice
// RUN: diff %t.once %t.twice
// RUN: not nf-opt %s -nf-assign-optimizer=optimizer=sgd 2>&1 | FileCheck %s --check-prefix=BADOPT
// RUN: not nf-opt %s -nf-assign-optimizer="optimizer=muon muon-groups=scale" 2>&1 | FileCheck %s --check-prefix=NOT2D
// RUN: not nf-opt %s -nf-assign-optimizer="optimizer=muon muon-groups=matrx" 2>&1 | FileCheck %s --check-prefix=BADGROUP

// Muon takes the 2-D hidden matrices; embeddings, head and every 0-D/1-D
// tensor stay on AdamW; state tensors are not trained and get no optimizer.
// MUON: @m {{.*}} group <matrix> optimizer <muon>
// MUON: @e {{.*}} group <embedding> optimizer <adamw>
// MUON: @h {{.*}} group <head> optimizer <adamw>
// MUON: @g {{.*}} group <scale> optimizer <adamw>
// MUON: @b {{.*}} group <bias> optimizer <adamw>
// MUON: @a {{.*}} group <scalar> optimizer <adamw>
// MUON: @r {{.*}} group <state>{{$}}
// An earlier assignment is overwritten (@m had adamw written by hand).
// ADAMW: @m {{.*}} group <matrix> optimizer <adamw>
// ADAMW: @e {{.*}} group <embedding> optimizer <adamw>
// ADAMW: @h {{.*}} group <head> optimizer <adamw>
// ADAMW: @g {{.*}} group <scale> optimizer <adamw>
// ADAMW: @r {{.*}} group <state>{{$}}
// HEAD: @m {{.*}} group <matrix> optimizer <muon>
// HEAD: @e {{.*}} group <embedding> optimizer <adamw>
// HEAD: @h {{.*}} group <head> optimizer <muon>
// BADOPT: for the --optimizer option: Cannot find option named 'sgd'!
// NOT2D: error: nf-assign-optimizer: muon updates 2-D matrices only, but group 'scale' is not 2-D
// BADGROUP: error: nf-assign-optimizer: unknown group 'matrx' in muon-groups
nf.param @m : tensor<8x8xf32> init <normal(0.02)> group <matrix> optimizer <adamw>
nf.param @e : tensor<16x8xf32> init <normal(0.02)> group <embedding>
nf.param @h : tensor<16x8xf32> init <normal(0.02)> group <head>
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @b : tensor<8xf32> init <zeros> group <bias>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
