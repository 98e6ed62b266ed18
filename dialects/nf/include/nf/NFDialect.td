//===- NFDialect.td - the nf dialect ------------------------*- tablegen -*-===//
//
// The nf dialect describes a transformer language model's forward graph on
// statically shaped tensors, with parameters as module-level symbols.
//
//===----------------------------------------------------------------------===//

#ifndef NF_DIALECT_TD
#define NF_DIALECT_TD

include "mlir/IR/OpBase.td"

def NF_Dialect : Dialect {
  let name = "nf";
  let summary = "NormFuse: normalization layers, scale vectors and their optimizers";
  let description = [{
    The nf dialect models the forward graph of a transformer language model.
    A normalization layer is split into a parameter-free normalization
    (`nf.rmsnorm`, `nf.layernorm`, `nf.dyt`, `nf.derf`, `nf.derf_ema`) and its
    scale vector (`nf.scale`, gamma times x over the last dimension), so that
    graph passes can move, split, reparameterize, decay or remove scale vectors
    and fusion can put them back together. Parameters are `nf.param` symbols
    whose attributes (init, group, norm role, weight decay, optimizer) form the
    optimizer plan that later passes read and write.
  }];
  let cppNamespace = "::mlir::nf";
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class NF_Op<string mnemonic, list<Trait> traits = []> :
    Op<NF_Dialect, mnemonic, traits>;

#endif // NF_DIALECT_TD
