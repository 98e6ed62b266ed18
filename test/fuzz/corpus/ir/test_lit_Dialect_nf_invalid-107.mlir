
//===----------------------------------------------------------------------===//
// Optimizer ops (NFOptimizerOps.cpp)
//===----------------------------------------------------------------------===//

// Trained parameters are written with update_param, state with assign_state.
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @f(%v: tensor<f32>) {
  // expected-error @+1 {{'nf.update_param' op @r is a 'state' tensor: use nf.assign_state}}
  nf.update_param @r, %v : tensor<f32>
  return
}

