// RUN: nf-opt %s -split-input-file -nf-fuse-adamw | FileCheck %s
// Idempotent, and the result round-trips through the printer and parser.
// RUN: nf-opt %s -split-input-file -nf-fuse-adamw -nf-fuse-adamw | nf-opt -split-input-file | FileCheck %s
// nf-unfuse gives back one nf.adamw a parameter with its reads and stores.
// RUN: nf-opt %s -split-input-file -nf-fuse-adamw -nf-unfuse | FileCheck %s --check-prefix=UNFUSE

// Three in-place updates with the same lr, step, clip coefficient, betas
// and eps (weight decays differ) become one nf.adamw_multi where the last
// (@b) was; the update with another lr gets its own, where @e's was.
nf.param @w : tensor<4x2xf32> init <normal(0.02)> group <matrix> weight_decay(0.1) optimizer <adamw>
nf.param @w.adamw_m : tensor<4x2xf32> init <zeros> group <state>
nf.param @w.adamw_v : tensor<4x2xf32> init <zeros> group <state>
nf.param @g : tensor<2xf32> init <constant(1.0)> group <scale> optimizer <adamw>
nf.param @g.adamw_m : tensor<2xf32> init <zeros> group <state>
nf.param @g.adamw_v : tensor<2xf32> init <zeros> group <state>
nf.param @b : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @b.adamw_m : tensor<2xf32> init <zeros> group <state>
nf.param @b.adamw_v : tensor<2xf32> init <zeros> group <state>
nf.param @e : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @e.adamw_m : tensor<2xf32> init <zeros> group <state>
nf.param @e.adamw_v : tensor<2xf32> init <zeros> group <state>

// CHECK-LABEL: func.func @optimizer_step
// CHECK-SAME: (%[[GW:[^:]*]]: tensor<4x2xf32>, %[[GG:[^:]*]]: tensor<2xf32>, %[[GB:[^:]*]]: tensor<2xf32>, %[[GE:[^:]*]]: tensor<2xf32>, %[[LR:[^:]*]]: tensor<f32>, %[[LR2:[^:]*]]: tensor<f32>, %[[T:[^:]*]]: tensor<f32>, %[[C:[^:]*]]: tensor<f32>)
// CHECK-NOT: nf.get_param
// CHECK: %[[E:.*]] = nf.mul %[[GE]], %[[C]]
// CHECK-NEXT: nf.adamw_multi [@e] grads(%[[E]]) m [@e.adamw_m] v [@e.adamw_v] lr(%[[LR2]]) step(%[[T]]) betas(9.000000e-01, 0.94999999999999996) eps(1.000000e-08) wd [0.000000e+00] : tensor<2xf32>
// CHECK-NEXT: nf.adamw_multi [@w, @g, @b] grads(%[[GW]], %[[GG]], %[[GB]]) m [@w.adamw_m, @g.adamw_m, @b.adamw_m] v [@w.adamw_v, @g.adamw_v, @b.adamw_v] grad_scale(%[[C]]) lr(%[[LR]]) step(%[[T]]) betas(9.000000e-01, 0.94999999999999996) eps(1.000000e-08) wd [1.000000e-01, 0.000000e+00, 0.000000e+00] : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>
// CHECK-NEXT: return
// UNFUSE-LABEL: func.func @optimizer_step
// UNFUSE: nf.adamw %{{.*}} lr(%arg5)
// UNFUSE: %[[P:.*]] = nf.get_param @w : tensor<4x2xf32>
// UNFUSE-NEXT: %[[M:.*]] = nf.get_param @w.adamw_m
// UNFUSE-NEXT: %[[V:.*]] = nf.get_param @w.adamw_v
// UNFUSE-NEXT: %[[NP:[^,]*]], %[[NM:[^,]*]], %[[NV:[^ ]*]] = nf.adamw %[[P]], %{{.*}}, %[[M]], %[[V]] grad_scale(%{{.*}}) lr(%{{.*}}) step(%{{.*}}) betas(9.000000e-01, 0.94999999999999996) eps(1.000000e-08) wd(1.000000e-01) : tensor<4x2xf32>
// UNFUSE-NEXT: nf.update_param @w, %[[NP]] :
// UNFUSE-NEXT: nf.assign_state @w.adamw_m, %[[NM]] :
// UNFUSE-NEXT: nf.assign_state @w.adamw_v, %[[NV]] :
// UNFUSE-NEXT: nf.get_param @g :
// UNFUSE-COUNT-2: nf.adamw {{.*}} wd(0.000000e+00)
// UNFUSE-NOT: nf.adamw_multi
func.func @optimizer_step(%gw: tensor<4x2xf32>, %gg: tensor<2xf32>, %gb: tensor<2xf32>, %ge: tensor<2xf32>, %lr: tensor<f32>, %lr2: tensor<f32>, %t: tensor<f32>, %c: tensor<f32>) {
  %pw = nf.get_param @w : tensor<4x2xf32>
  %mw = nf.get_param @w.adamw_m : tensor<4x2xf32>
  %vw = nf.get_param @w.adamw_v : tensor<4x2xf32>
  %w:3 = nf.adamw %pw, %gw, %mw, %vw grad_scale(%c) lr(%lr) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.1) : tensor<4x2xf32>
  nf.update_param @w, %w#0 : tensor<4x2xf32>
  nf.assign_state @w.adamw_m, %w#1 : tensor<4x2xf32>
  nf.assign_state @w.adamw_v, %w#2 : tensor<4x2xf32>
  %pg = nf.get_param @g : tensor<2xf32>
  %mg = nf.get_param @g.adamw_m : tensor<2xf32>
  %vg = nf.get_param @g.adamw_v : tensor<2xf32>
  %g:3 = nf.adamw %pg, %gg, %mg, %vg grad_scale(%c) lr(%lr) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.0) : tensor<2xf32>
  nf.update_param @g, %g#0 : tensor<2xf32>
  nf.assign_state @g.adamw_m, %g#1 : tensor<2xf32>
  nf.assign_state @g.adamw_v, %g#2 : tensor<2xf32>
  %ge2 = nf.mul %ge, %c : tensor<2xf32>, tensor<f32>
  %pe = nf.get_param @e : tensor<2xf32>
  %me = nf.get_param @e.adamw_m : tensor<2xf32>
  %ve = nf.get_param @e.adamw_v : tensor<2xf32>
  %e:3 = nf.adamw %pe, %ge2, %me, %ve lr(%lr2) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.0) : tensor<2xf32>
  nf.update_param @e, %e#0 : tensor<2xf32>
  nf.assign_state @e.adamw_m, %e#1 : tensor<2xf32>
  nf.assign_state @e.adamw_v, %e#2 : tensor<2xf32>
  %pb = nf.get_param @b : tensor<2xf32>
  %mb = nf.get_param @b.adamw_m : tensor<2xf32>
  %vb = nf.get_param @b.adamw_v : tensor<2xf32>
  %b:3 = nf.adamw %pb, %gb, %mb, %vb grad_scale(%c) lr(%lr) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.0) : tensor<2xf32>
  nf.update_param @b, %b#0 : tensor<2xf32>
  nf.assign_state @b.adamw_m, %b#1 : tensor<2xf32>
  nf.assign_state @b.adamw_v, %b#2 : tensor<2xf32>
  return
}

// -----

// Not in place, so left alone: a parameter read again after its update
// (moving the update would change what that read sees), a new moment that
// is also returned, and a parameter stored under another name.
nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.adamw_m : tensor<2xf32> init <zeros> group <state>
nf.param @w.adamw_v : tensor<2xf32> init <zeros> group <state>
nf.param @u : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @u.adamw_m : tensor<2xf32> init <zeros> group <state>
nf.param @u.adamw_v : tensor<2xf32> init <zeros> group <state>
nf.param @x : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @x.adamw_m : tensor<2xf32> init <zeros> group <state>
nf.param @x.adamw_v : tensor<2xf32> init <zeros> group <state>

// CHECK-LABEL: func.func @not_in_place
// CHECK-NOT: nf.adamw_multi
// CHECK-COUNT-3: nf.adamw %
// CHECK-NOT: nf.adamw_multi
func.func @not_in_place(%g: tensor<2xf32>, %lr: tensor<f32>, %t: tensor<f32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %pw = nf.get_param @w : tensor<2xf32>
  %mw = nf.get_param @w.adamw_m : tensor<2xf32>
  %vw = nf.get_param @w.adamw_v : tensor<2xf32>
  %w:3 = nf.adamw %pw, %g, %mw, %vw lr(%lr) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.0) : tensor<2xf32>
  nf.update_param @w, %w#0 : tensor<2xf32>
  nf.assign_state @w.adamw_m, %w#1 : tensor<2xf32>
  nf.assign_state @w.adamw_v, %w#2 : tensor<2xf32>
  %again = nf.get_param @w : tensor<2xf32>
  %pu = nf.get_param @u : tensor<2xf32>
  %mu = nf.get_param @u.adamw_m : tensor<2xf32>
  %vu = nf.get_param @u.adamw_v : tensor<2xf32>
  %u:3 = nf.adamw %pu, %g, %mu, %vu lr(%lr) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.0) : tensor<2xf32>
  nf.update_param @u, %u#0 : tensor<2xf32>
  nf.assign_state @u.adamw_m, %u#1 : tensor<2xf32>
  nf.assign_state @u.adamw_v, %u#2 : tensor<2xf32>
  %px = nf.get_param @x : tensor<2xf32>
  %mx = nf.get_param @x.adamw_m : tensor<2xf32>
  %vx = nf.get_param @x.adamw_v : tensor<2xf32>
  %x:3 = nf.adamw %px, %g, %mx, %vx lr(%lr) step(%t) betas(0.9, 0.95) eps(1.0e-8) wd(0.0) : tensor<2xf32>
  nf.update_param @w, %x#0 : tensor<2xf32>
  nf.assign_state @x.adamw_m, %x#1 : tensor<2xf32>
  nf.assign_state @x.adamw_v, %x#2 : tensor<2xf32>
  return %again, %u#1 : tensor<2xf32>, tensor<2xf32>
}
