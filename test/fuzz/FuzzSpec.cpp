//===- FuzzSpec.cpp - libFuzzer target: spec JSON to C++ --------*- C++ -*-===//
//
// The input is a spec file's text. It goes the way `nfc build` takes it:
// parse and check (FlatBuffers' JSON parser against ModelSpec.fbs, then
// NormFuse's own checks), import, the spec's training pipeline, the C++
// emitter. Invariants:
//   - a refused spec gets one error line naming the file;
//   - a spec the checks accept imports into IR that verifies, its pipeline
//     runs and its step is emitted: whatever the checks let through must
//     build, or the user learns of the problem late and from a pass;
//   - the resolved spec printed as strict JSON (nfc spec) reads back to the
//     same resolved spec;
//   - its strings reach generated code only as literals: the model name in
//     the C++, the data paths in the run settings (requireOnlyLiterals).
//
//===----------------------------------------------------------------------===//
#include "FuzzCheck.h"
#include "FuzzPipeline.h"

#include "../../tools/nfc/RunConfigSource.h"
#include "../../tools/nfc/SpecPipeline.h"
#include "normfuse/Spec/Importer.h"
#include "normfuse/Spec/SpecJson.h"
#include "normfuse/Spec/SpecLoader.h"

#include "llvm/Support/Error.h"

using namespace normfuse;

static const char *const kPath = "fuzz-spec.json";

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  nffuzz::registerPasses();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<LoadedSpec> spec = parseSpec(text, kPath);
  if (!spec) {
    nffuzz::requireOneLineNaming(llvm::toString(spec.takeError()), kPath);
    return 0;
  }

  // nfc spec: the resolved spec as strict JSON reads back unchanged.
  llvm::Expected<std::string> json = specToJson(*spec->spec);
  nffuzz::require(bool(json), "an accepted spec does not print as JSON",
                  json ? "" : llvm::toString(json.takeError()));
  llvm::Expected<LoadedSpec> again = parseSpec(*json, kPath);
  nffuzz::require(bool(again), "the printed spec does not read back",
                  again ? *json : llvm::toString(again.takeError()));
  llvm::Expected<std::string> json2 = specToJson(*again->spec);
  nffuzz::require(json2 && *json2 == *json,
                  "the printed spec reads back to a different spec", *json);

  nffuzz::FuzzContext ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module = importSpec(ctx.get(), *spec);
  nffuzz::require(bool(module), "an accepted spec does not import", ctx.log());
  nffuzz::require(nffuzz::runPasses(ctx, *module, trainingPipeline(*spec)) ==
                      nffuzz::Outcome::Ok,
                  "an accepted spec fails its training pipeline", ctx.log());
  std::string cpp;
  nffuzz::require(nffuzz::emitCode(ctx, *module, &cpp) == nffuzz::Outcome::Ok,
                  "an accepted spec cannot be emitted", ctx.log());
  // The model name is checked against a character set that cannot leave a
  // literal; the source lexes strictly and holds it as one. (The IR target,
  // whose names may hold any byte, also compares a renamed emission.)
  nffuzz::requireLiterals(cpp, {spec->spec->model->name});

  // The run settings: data paths may hold any byte, and still only as
  // literals of run_config.cpp.
  std::string config = runConfigSource(*spec, "fingerprint", "out", 1);
  if (nf::spec::DataT *data = spec->spec->data.get()) {
    data->train = data->train.empty() ? "" : "t";
    data->val = data->val.empty() ? "" : "v";
  }
  nffuzz::requireOnlyLiterals(config, {},
                              runConfigSource(*spec, "fingerprint", "out", 1));
  return 0;
}
