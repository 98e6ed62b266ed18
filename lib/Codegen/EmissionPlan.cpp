//===- EmissionPlan.cpp - reading and writing nf.buffers ------------------===//
#include "normfuse/Codegen/EmissionPlan.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace normfuse;

DictionaryAttr normfuse::placementAttr(MLIRContext *ctx, const Placement &p) {
  Builder b(ctx);
  SmallVector<NamedAttribute> fields;
  switch (p.kind) {
  case Placement::Kind::Arena:
    fields.push_back(b.getNamedAttr("arena", b.getI64IntegerAttr(p.offset)));
    break;
  case Placement::Kind::Gradient:
    fields.push_back(b.getNamedAttr("grad", b.getI64IntegerAttr(p.offset)));
    break;
  case Placement::Kind::Param:
    fields.push_back(
        b.getNamedAttr("param", FlatSymbolRefAttr::get(ctx, p.param)));
    break;
  case Placement::Kind::Operand:
    fields.push_back(b.getNamedAttr("operand", b.getI64IntegerAttr(p.offset)));
    break;
  }
  if (p.bf16)
    fields.push_back(b.getNamedAttr("storage", TypeAttr::get(b.getBF16Type())));
  if (p.pitch)
    fields.push_back(b.getNamedAttr("pitch", b.getI64IntegerAttr(p.pitch)));
  return b.getDictionaryAttr(fields);
}

std::optional<Placement> normfuse::placementOf(Value v) {
  auto r = dyn_cast<OpResult>(v);
  Operation *op = r ? r.getOwner() : nullptr;
  if (!op)
    return std::nullopt;
  auto fail = [&](const Twine &what) -> std::optional<Placement> {
    op->emitOpError() << "result #" << r.getResultNumber() << ": " << what
                      << " (the emitters print the plan of "
                         "nf-prepare-emission; run it last)";
    return std::nullopt;
  };
  auto list = op->getAttrOfType<ArrayAttr>(kBuffersAttr);
  if (!list || list.size() != op->getNumResults())
    return fail("no '" + kBuffersAttr + "' entry");
  auto entry = dyn_cast<DictionaryAttr>(list[r.getResultNumber()]);
  if (!entry)
    return fail("'" + kBuffersAttr + "' entry is not a dictionary");
  Placement p;
  auto integer = [&](StringRef key) -> std::optional<int64_t> {
    auto a = entry.getAs<IntegerAttr>(key);
    return a ? std::optional<int64_t>(a.getInt()) : std::nullopt;
  };
  if (auto at = integer("arena")) {
    p.kind = Placement::Kind::Arena;
    p.offset = *at;
  } else if (auto at = integer("grad")) {
    p.kind = Placement::Kind::Gradient;
    p.offset = *at;
  } else if (auto sym = entry.getAs<FlatSymbolRefAttr>("param")) {
    p.kind = Placement::Kind::Param;
    p.param = sym.getValue();
  } else if (auto at = integer("operand")) {
    p.kind = Placement::Kind::Operand;
    p.offset = *at;
    if (p.offset < 0 || p.offset >= int64_t(op->getNumOperands()))
      return fail("'operand' names no operand");
  } else {
    return fail("entry names no arena, grad, param or operand");
  }
  if (p.offset < 0)
    return fail("negative offset");
  if (auto storage = entry.getAs<TypeAttr>("storage")) {
    if (!storage.getValue().isBF16())
      return fail("storage other than bf16");
    p.bf16 = true;
  }
  if (auto pitch = integer("pitch"))
    p.pitch = *pitch;
  return p;
}

std::optional<ArenaSize> normfuse::arenaOf(func::FuncOp fn) {
  auto bytes = fn->getAttrOfType<IntegerAttr>(kArenaBytesAttr);
  auto naive = fn->getAttrOfType<IntegerAttr>(kArenaWithoutReuseAttr);
  if (!bytes || !naive) {
    fn.emitOpError() << "has no '" << kArenaBytesAttr
                     << "' (the emitters print the plan of "
                        "nf-prepare-emission; run it last)";
    return std::nullopt;
  }
  return ArenaSize{bytes.getInt(), naive.getInt()};
}

std::optional<int64_t>
normfuse::regionPiece(Operation *op, StringRef regionAttr, StringRef piece) {
  auto pieces = op->getAttrOfType<DictionaryAttr>(regionAttr);
  auto at = pieces ? pieces.getAs<IntegerAttr>(piece) : IntegerAttr();
  if (!at || at.getInt() < 0) {
    op->emitOpError() << "has no '" << piece << "' piece in '" << regionAttr
                      << "' (the emitters print the plan of "
                         "nf-prepare-emission; run it last)";
    return std::nullopt;
  }
  return at.getInt();
}

std::optional<RegionSizes> normfuse::regionsOf(func::FuncOp fn) {
  auto cache = fn->getAttrOfType<IntegerAttr>(kCacheFloatsAttr);
  auto scratch = fn->getAttrOfType<IntegerAttr>(kScratchFloatsAttr);
  if (!cache || !scratch) {
    fn.emitOpError() << "has no '" << kCacheFloatsAttr << "' and '"
                     << kScratchFloatsAttr
                     << "' (the emitters print the plan of "
                        "nf-prepare-emission; run it last)";
    return std::nullopt;
  }
  return RegionSizes{cache.getInt(), scratch.getInt()};
}

LogicalResult normfuse::checkPreparedFor(ModuleOp module, StringRef target,
                                         StringRef precision) {
  auto plan = module->getAttrOfType<DictionaryAttr>(kEmissionAttr);
  auto t = plan ? plan.getAs<StringAttr>("target") : StringAttr();
  auto p = plan ? plan.getAs<StringAttr>("precision") : StringAttr();
  if (t && p && t.getValue() == target && p.getValue() == precision)
    return success();
  std::string want =
      ("nf-prepare-emission{target=" + target +
       (target == "cuda" && precision == "bf16" ? " bf16=true" : "") + "}")
          .str();
  if (!t || !p)
    return module.emitError()
           << "the module has no emission plan: run " << want << " last";
  return module.emitError()
         << "the module's emission plan is for " << t.getValue() << " in "
         << p.getValue() << ", not " << target << " in " << precision
         << ": run " << want << " instead";
}
