// RUN: nf-opt %s -split-input-file -nf-optimizer-step="lr=0.003 schedule=warmup_cosine warmup=10 total=100" -verify-diagnostics | FileCheck %s
// Idempotent: the function is rebuilt and the state tensors reused.
// RUN: nf-opt %s -split-input-file -nf-optimizer-step="lr=0.003 schedule=warmup_cosine warmup=10 total=100" -nf-optimizer-step="lr=0.003 schedule=warmup_cosine warmup=10 total=100" -verify-diagnostics | FileCheck %s
// Without clipping the optimizer ops read the gradients as they are.
// RUN: nf-opt %s -split-input-file -nf-optimizer-step="grad-clip=0" -verify-diagnostics | FileCheck %s --check-prefix=NOCLIP
// RUN: not nf-opt %s -split-input-file -nf-optimizer-step=schedule=linear 2>&1 | FileCheck %s --check-prefix=BADSCHED
// RUN: not nf-opt %s -split-input-file -nf-optimizer-step=muon-scale=big 2>&1 | FileCheck %s --check-prefix=BADSCALE

// AdamW state (m, v) and Muon's momentum buffer are state parameters next
// to their parameter; the step counter is state too.
// CHECK-LABEL: module
// CHECK: nf.param @w : tensor<8x4xf32> {{.*}} optimizer <muon>
// CHECK-NEXT: nf.param @w.muon_momentum : tensor<8x4xf32> init <zeros> group <state>
// CHECK: nf.param @g : tensor<4xf32> {{.*}} optimizer <adamw>
// CHECK-NEXT: nf.param @g.adamw_m : tensor<4xf32> init <zeros> group <state>
// CHECK-NEXT: nf.param @g.adamw_v : tensor<4xf32> init <zeros> group <state>
// CHECK: nf.param @optimizer.step : tensor<f32> init <zeros> group <state>
// CHECK-LABEL: func.func @optimizer_step
// CHECK-SAME: (%[[GW:[^:]*]]: tensor<8x4xf32> {nf.grad_of = "w"}, %[[GG:[^:]*]]: tensor<4xf32> {nf.grad_of = "g"})
// CHECK-SAME: -> (tensor<f32> {nf.name = "grad_norm"}, tensor<f32> {nf.name = "lr"})
// CHECK: %[[T0:.*]] = nf.get_param @optimizer.step
// CHECK: %[[T:.*]] = nf.add %[[T0]]
// CHECK: nf.assign_state @optimizer.step, %[[T]]
// CHECK: %[[F:.*]] = nf.lr_factor %[[T]] <warmup_cosine> warmup(10) total(100) decay(0) min(1.000000e-01)
// CHECK: %[[LR:.*]] = nf.mul %{{.*}}, %[[F]]
// CHECK: %[[MLR:.*]] = nf.mul %{{.*}}, %[[F]]
// CHECK: %[[N:.*]] = nf.global_norm %[[GW]], %[[GG]] : tensor<8x4xf32>, tensor<4xf32>
// Clipping is the optimizer ops' grad_scale: no nf.mul pass over the
// gradients.
// CHECK: %[[C:.*]] = nf.clip_coef %[[N]] max(1.000000e+00)
// CHECK-NOT: nf.mul
// CHECK: %[[W:.*]] = nf.get_param @w :
// CHECK: %[[B:.*]] = nf.get_param @w.muon_momentum
// CHECK: %[[NW:.*]], %[[NB:.*]] = nf.muon %[[W]], %[[GW]], %[[B]] grad_scale(%[[C]]) lr(%[[MLR]]) momentum({{.*}}) nesterov(true) ns_steps(5) scale <keller> wd(1.000000e-01)
// CHECK: nf.update_param @w, %[[NW]]
// CHECK: nf.assign_state @w.muon_momentum, %[[NB]]
// CHECK: %[[P:.*]] = nf.get_param @g :
// CHECK: %[[M:.*]] = nf.get_param @g.adamw_m
// CHECK: %[[V:.*]] = nf.get_param @g.adamw_v
// CHECK: %[[NP:.*]], %[[NM:.*]], %[[NV:.*]] = nf.adamw %[[P]], %[[GG]], %[[M]], %[[V]] grad_scale(%[[C]]) lr(%[[LR]]) step(%[[T]]) betas({{.*}}) eps(1.000000e-08) wd(0.000000e+00)
// CHECK: nf.update_param @g, %[[NP]]
// CHECK: nf.assign_state @g.adamw_m, %[[NM]]
// CHECK: nf.assign_state @g.adamw_v, %[[NV]]
// CHECK-NOT: nf.mul
// CHECK: return %[[N]], %[[LR]]
// CHECK-NOT: func.func @optimizer_step
// NOCLIP-LABEL: func.func @optimizer_step
// NOCLIP: nf.global_norm
// NOCLIP-NOT: nf.clip_coef
// NOCLIP: nf.muon %{{.*}}, %arg0, %{{.*}} lr(
// NOCLIP-NOT: grad_scale
// NOCLIP: nf.adamw %{{.*}}, %arg1, %{{.*}}, %{{.*}} lr(
// NOCLIP-NOT: grad_scale
// NOCLIP: return
// BADSCHED: for the --schedule option: Cannot find option named 'linear'!
// BADSCALE: for the --muon-scale option: Cannot find option named 'big'!
nf.param @w : tensor<8x4xf32> init <normal(0.02)> group <matrix> weight_decay(0.1) optimizer <muon>
nf.param @g : tensor<4xf32> init <ones> group <scale> role <input> weight_decay(0.0) optimizer <adamw>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>

// -----

// The plan must be on every trained parameter.
// expected-error @+1 {{@w has no optimizer or weight_decay: run nf-weight-decay-groups and nf-assign-optimizer first}}
nf.param @w : tensor<8x4xf32> init <normal(0.02)> group <matrix>

// -----

// expected-error @+1 {{nf-optimizer-step: the module has no trained parameters}}
module {
  nf.param @r : tensor<f32> init <constant(1.0)> group <state>
}
