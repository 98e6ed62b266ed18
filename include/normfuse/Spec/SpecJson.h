//===- SpecJson.h - a resolved spec as strict JSON --------------*- C++ -*-===//
//
// `nfc spec` prints the spec that nfc actually uses, every default filled
// in, as strict JSON (quoted keys, no comments), so that tools outside the
// compiler (the PyTorch reference model, sweep scripts) read the same
// values with any JSON parser.
//
//===----------------------------------------------------------------------===//
#ifndef NORMFUSE_SPEC_SPECJSON_H
#define NORMFUSE_SPEC_SPECJSON_H

#include "normfuse/Spec/ModelSpec_generated.h"

#include "llvm/Support/Error.h"

#include <string>

namespace normfuse {

/// Every field of `spec` in schema order (ModelSpec.fbs): enums by name,
/// doubles in the shortest form that reads back to the same double, an
/// absent table or optional scalar as null. Indented by two spaces.
llvm::Expected<std::string> specToJson(const nf::spec::SpecT &spec);

} // namespace normfuse

#endif // NORMFUSE_SPEC_SPECJSON_H
