// RUN: nf-opt %s -nf-drop-scales -verify-diagnostics -split-input-file | FileCheck %s --check-prefix=ALL
// RUN: nf-opt %s -nf-classify-norms -nf-drop-scales=which=input -split-input-file 2>&1 | FileCheck %s --check-prefix=INPUT
// RUN: nf-opt %s -nf-classify-norms -nf-drop-scales=which=output -split-input-file 2>&1 | FileCheck %s --check-prefix=OUTPUT
// RUN: not nf-opt %s -nf-drop-scales=which=input -split-input-file 2>&1 | FileCheck %s --check-prefix=NOROLE
// RUN: not nf-opt %s -nf-drop-scales=which=some -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// The ablation: scale(x, g) => x, and g is gone.
// ALL-LABEL: module
// ALL-NOT: group <scale>
// ALL: nf.param @b : tensor<8xf32> init <zeros> group <bias>
// ALL-LABEL: func.func @two_norms
// ALL-SAME: (%[[X:[^:]*]]: tensor<2x8xf32>
// ALL: %[[N:.*]] = nf.rmsnorm %[[X]]
// ALL: %[[B:.*]] = nf.bias_add %[[N]]
// ALL: nf.linear %[[B]]
// ALL-NOT: nf.scale
// INPUT: remark: nf-drop-scales: removed 1 scale vectors (which=input)
// INPUT-NOT: nf.param @gi
// INPUT: nf.param @go
// OUTPUT: remark: nf-drop-scales: removed 1 scale vectors (which=output)
// OUTPUT: nf.param @gi
// OUTPUT-NOT: nf.param @go
// NOROLE: error: 'nf.param' op scale vector @gi has no norm role: run nf-classify-norms before nf-drop-scales{which=input}
// BAD: for the --which option: Cannot find option named 'some'!

// expected-remark @below {{nf-drop-scales: removed 2 scale vectors (which=all)}}
module {
  nf.param @gi : tensor<8xf32> init <ones> group <scale>
  nf.param @b : tensor<8xf32> init <zeros> group <bias>
  nf.param @go : tensor<8xf32> init <ones> group <scale>
  nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
  func.func @two_norms(%x: tensor<2x8xf32>, %f: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
    %gi = nf.get_param @gi : tensor<8xf32>
    %b = nf.get_param @b : tensor<8xf32>
    %n = nf.rmsnorm %x eps(1.0e-6) : tensor<2x8xf32>
    %s = nf.scale %n, %gi : tensor<2x8xf32>, tensor<8xf32>
    %sb = nf.bias_add %s, %b : tensor<2x8xf32>, tensor<8xf32>
    %w = nf.get_param @w : tensor<8x8xf32>
    %y = nf.linear %sb, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
    %go = nf.get_param @go : tensor<8xf32>
    %m = nf.rmsnorm %f eps(1.0e-6) : tensor<2x8xf32>
    %t = nf.scale %m, %go : tensor<2x8xf32>, tensor<8xf32>
    %r = nf.add %x, %t : tensor<2x8xf32>, tensor<2x8xf32>
    return %y, %r : tensor<2x8xf32>, tensor<2x8xf32>
  }
}

// -----

// Nothing to remove: the count is zero and the IR unchanged.
// ALL-LABEL: module
// ALL: nf.param @w : tensor<8x8xf32>
// expected-remark @below {{nf-drop-scales: removed 0 scale vectors (which=all)}}
module {
  nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
}
