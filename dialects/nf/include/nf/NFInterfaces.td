//===- NFInterfaces.td - nf op interfaces -------------------*- tablegen -*-===//
//
// NF_VJPOpInterface: the reverse-mode (vector-Jacobian product) contract
// that nf-autodiff uses. Every nf op that computes on tensors implements it
// (NFVJP.cpp); the formulas are in docs/math.md#reverse-mode.
//
// NF_NormalizationOpInterface: what graph passes need to know about a
// parameter-free normalization (docs/math.md#norm-split).
//
//===----------------------------------------------------------------------===//

#ifndef NF_INTERFACES_TD
#define NF_INTERFACES_TD

include "mlir/IR/OpBase.td"

def NF_VJPOpInterface : OpInterface<"VJPOpInterface"> {
  let cppNamespace = "::mlir::nf";
  let description = [{
    Reverse-mode differentiation of one op. `buildVJP` receives the cotangent
    of every result (a null Value where a result does not reach the loss) and
    appends one cotangent per operand (a null Value where the operand is not
    differentiable, e.g. token ids).
  }];
  let methods = [
    InterfaceMethod<
      "Whether operand `index` receives a gradient (token ids and running "
      "statistics do not).",
      "bool", "isDifferentiableOperand", (ins "unsigned":$index), [{}], [{
        return ::llvm::isa<::mlir::FloatType>(
            ::mlir::getElementTypeOrSelf($_op->getOperand(index).getType()));
      }]>,
    InterfaceMethod<
      "Builds the operand cotangents from the result cotangents at the "
      "builder's insertion point.",
      "::mlir::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>
  ];
}

def NF_NormalizationOpInterface : OpInterface<"NormalizationOpInterface"> {
  let cppNamespace = "::mlir::nf";
  let description = [{
    A parameter-free normalization: rmsnorm, layernorm, dyt, derf, derf_ema.
    Its scale vector is a separate nf.scale op.
  }];
  let methods = [
    InterfaceMethod<"The tensor being normalized.", "::mlir::Value",
      "getNormalizedInput", (ins), [{ return $_op.getInput(); }]>,
    InterfaceMethod<
      "True for pointwise maps (DyT, Derf), which need no row reduction.",
      "bool", "isPointwise">
  ];
}

#endif // NF_INTERFACES_TD
