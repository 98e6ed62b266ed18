//===- SpecCommand.cpp - nfc spec -----------------------------------------===//
//
//   nfc spec spec.json      the resolved spec as strict JSON on stdout
//
// The same loader and checks as every other subcommand: an invalid spec is
// the same one-line error.
//
//===----------------------------------------------------------------------===//
#include "SpecCommand.h"

#include "normfuse/Spec/SpecJson.h"
#include "normfuse/Spec/SpecLoader.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace normfuse;

cl::SubCommand normfuse::specCmd(
    "spec", "print a spec with every default resolved, as strict JSON");
cl::OptionCategory normfuse::specCategory("nfc spec options");

static cl::opt<std::string> specInput(cl::Positional, cl::Required,
                                      cl::desc("<spec.json>"),
                                      cl::cat(specCategory), cl::sub(specCmd));

int normfuse::runSpec() {
  Expected<LoadedSpec> spec = loadSpecFile(specInput);
  if (!spec) {
    errs() << toString(spec.takeError()) << "\n";
    return 1;
  }
  Expected<std::string> json = specToJson(*spec->spec);
  if (!json) {
    errs() << specInput << ": error: " << toString(json.takeError()) << "\n";
    return 1;
  }
  outs() << *json;
  return 0;
}
