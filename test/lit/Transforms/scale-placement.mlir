// RUN: nf-opt %s -nf-scale-placement=mode=both | FileCheck %s --check-prefix=BOTH
// RUN: nf-opt %s -nf-scale-placement=mode=out | FileCheck %s --check-prefix=OUT
// RUN: nf-opt %s -nf-scale-placement=mode=in | FileCheck %s --check-prefix=IN
// RUN: nf-opt %s -nf-scale-placement | FileCheck %s --check-prefix=IN
// Idempotent: running twice equals running once, for each mode.
// RUN: nf-opt %s -nf-scale-placement=mode=both > %t.b1
// RUN: nf-opt %t.b1 -nf-scale-placement=mode=both > %t.b2
// RUN: diff %t.b1 %t.b2
// RUN: nf-opt %s -nf-scale-placement=mode=out > %t.o1
// RUN: nf-opt %t.o1 -nf-scale-placement=mode=out > %t.o2
// RUN: diff %t.o1 %t.o2
// RUN: not nf-opt %s -nf-scale-placement=mode=middle 2>&1 | FileCheck %s --check-prefix=BAD

// both: W_eff = diag(g_out) W diag(g_in); the new vector starts at ones.
// BOTH: nf.param @g : tensor<8xf32> init <ones> group <scale>
// BOTH: nf.param @w : tensor<16x8xf32>
// BOTH-NEXT: nf.param @w.out_scale : tensor<16xf32> init <ones> group <scale>{{$}}
// BOTH-LABEL: func.func @pre_norm
// BOTH: %[[S:.*]] = nf.scale %{{.*}}, %{{.*}} : tensor<2x8xf32>, tensor<8xf32>
// BOTH: %[[Y:.*]] = nf.linear %[[S]], %{{.*}}
// BOTH: %[[GO:.*]] = nf.get_param @w.out_scale
// BOTH: %[[O:.*]] = nf.scale %[[Y]], %[[GO]] : tensor<2x16xf32>, tensor<16xf32>
// BOTH: return %[[O]]

// out: the input-side vector moves to the output side.
// OUT-NOT: nf.param @g :
// OUT: nf.param @w.out_scale : tensor<16xf32> init <ones> group <scale>
// OUT-LABEL: func.func @pre_norm
// OUT-SAME: (%[[X:.*]]: tensor<2x8xf32>)
// OUT: %[[N:.*]] = nf.rmsnorm %[[X]]
// OUT: %[[Y:.*]] = nf.linear %[[N]], %{{.*}}
// OUT: %[[O:.*]] = nf.scale %[[Y]], %{{.*}}
// OUT: return %[[O]]

// in: the standard placement, nothing changes.
// IN-LABEL: func.func @pre_norm
// IN-NOT: out_scale
// IN: nf.scale
// IN-NEXT: nf.get_param @w
// IN-NEXT: nf.linear
// IN-NEXT: return

// Unchanged in every mode: a linear map whose input is not scaled.
// BOTH-LABEL: func.func @unscaled
// BOTH-NOT: nf.scale
// OUT-LABEL: func.func @unscaled
// OUT-NOT: nf.scale

// BAD: for the --mode option: Cannot find option named 'middle'!
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<16x8xf32> init <normal(0.02)> group <matrix>
nf.param @v : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @pre_norm(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %g = nf.get_param @g : tensor<8xf32>
  %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %w = nf.get_param @w : tensor<16x8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}
func.func @unscaled(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %v = nf.get_param @v : tensor<16x8xf32>
  %y = nf.linear %x, %v : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}
