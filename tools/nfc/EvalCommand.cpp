//===- EvalCommand.cpp - nfc eval -------------------------------------------===//
//
//   nfc eval spec.json|module.mlir [--pipeline=...] [--params=init|random]
//            [--seed=N] [--load-params=F] [--save-params=F] [--tokens=F]
//            [--save-tokens=F] [--token-seed=N] [--batch=N]
//            [--save-loss=F] [--expect-loss-file=F --rtol=X]
//
// Prints `loss: <%.17g>`. Token files hold B*T int32 token ids then B*T
// targets (little-endian). With --expect-loss-file the command fails when
// the loss differs from the saved one by more than --rtol (relative): the
// check behind the equivalence tests of every rewrite.
//
//===----------------------------------------------------------------------===//
#include "EvalCommand.h"
#include "SpecPipeline.h"

#include "normfuse/Interpreter/Interpreter.h"
#include "normfuse/Spec/Importer.h"

#include "nf/NFDialect.h"
#include "nf/NFOps.h"
#include "nfrt/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace llvm;
using namespace normfuse;

cl::SubCommand normfuse::evalCmd(
    "eval", "the loss of a spec or module by the reference interpreter "
            "(double precision)");
cl::OptionCategory normfuse::evalCategory("nfc eval options");

static cl::opt<std::string> input(cl::Positional, cl::Required,
                                  cl::desc("<spec.json | module.mlir>"),
                                  cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<std::string> evalPipeline(
    "pipeline", cl::desc("passes to run first (nf-opt syntax, or 'default')"),
    cl::init(""), cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<std::string> paramsMode(
    "params", cl::desc("init (from each nf.param's init) or random"),
    cl::init("init"), cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<uint64_t> seed("seed", cl::desc("parameter seed"), cl::init(0),
                              cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<uint64_t> tokenSeed("token-seed", cl::desc("token seed"),
                                   cl::init(0), cl::cat(evalCategory),
                                   cl::sub(evalCmd));
static cl::opt<std::string> loadParamsPath(
    "load-params", cl::desc("parameter file to start from"), cl::init(""),
    cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<std::string> saveParamsPath(
    "save-params", cl::desc("write the parameters used"), cl::init(""),
    cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<std::string> tokensPath("tokens",
                                       cl::desc("token file to evaluate on"),
                                       cl::init(""), cl::cat(evalCategory),
                                       cl::sub(evalCmd));
static cl::opt<std::string> saveTokensPath(
    "save-tokens", cl::desc("write the tokens used"), cl::init(""),
    cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<int> batch("batch",
                          cl::desc("override run.batch_size of a spec"),
                          cl::init(0), cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<std::string> functionName("function",
                                         cl::desc("function to evaluate"),
                                         cl::init("forward"),
                                         cl::cat(evalCategory),
                                         cl::sub(evalCmd));
static cl::opt<std::string> saveModule(
    "save-module", cl::desc("write the module evaluated (after --pipeline)"),
    cl::init(""), cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<std::string> saveLoss("save-loss",
                                     cl::desc("write the loss to a file"),
                                     cl::init(""), cl::cat(evalCategory),
                                     cl::sub(evalCmd));
static cl::opt<std::string> expectLoss(
    "expect-loss-file", cl::desc("fail unless the loss matches this file's"),
    cl::init(""), cl::cat(evalCategory), cl::sub(evalCmd));
static cl::opt<double> rtol("rtol", cl::desc("relative tolerance"),
                            cl::init(1e-9), cl::cat(evalCategory),
                            cl::sub(evalCmd));

static int evalFail(const Twine &message) {
  errs() << message << "\n";
  return 1;
}

/// Reads `count` int32 tokens then `count` targets.
static Error readTokens(StringRef path, size_t count,
                        std::vector<int32_t> &tokens,
                        std::vector<int32_t> &targets) {
  auto file = MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return createStringError(inconvertibleErrorCode(),
                             path + ": cannot read: " +
                                 file.getError().message());
  StringRef buf = (*file)->getBuffer();
  if (buf.size() != 8 * count)
    return createStringError(
        inconvertibleErrorCode(),
        formatv("{0}: holds {1} bytes, the function needs {2} (2 x {3} "
                "int32 ids)",
                path, buf.size(), 8 * count, count));
  tokens.resize(count);
  targets.resize(count);
  std::memcpy(tokens.data(), buf.data(), 4 * count);
  std::memcpy(targets.data(), buf.data() + 4 * count, 4 * count);
  return Error::success();
}

int normfuse::runEval() {
  if (paramsMode != "init" && paramsMode != "random")
    return evalFail("nfc eval: error: --params must be init or random, got '" +
                    paramsMode + "'");
  mlir::MLIRContext ctx;
  ctx.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::optional<LoadedSpec> spec;
  if (StringRef(input).ends_with(".mlir")) {
    llvm::SourceMgr sources;
    mlir::SourceMgrDiagnosticHandler handler(sources, &ctx);
    module = mlir::parseSourceFile<mlir::ModuleOp>(input, sources, &ctx);
    if (!module)
      return 1;
  } else {
    Expected<LoadedSpec> loaded = loadSpecFile(input);
    if (!loaded)
      return evalFail(toString(loaded.takeError()));
    spec = std::move(*loaded);
    if (batch > 0)
      spec->spec->run->batch_size = batch;
    module = importSpec(ctx, *spec);
    if (!module)
      return evalFail(input + ": error: import failed");
  }
  if (!evalPipeline.empty() &&
      failed(runPipeline(*module, evalPipeline, spec ? &*spec : nullptr)))
    return 1;

  if (!saveModule.empty()) {
    std::error_code ec;
    raw_fd_ostream os(saveModule, ec, sys::fs::OF_Text);
    if (ec)
      return evalFail(saveModule + ": error: " + ec.message());
    module->print(os);
  }
  auto fn = module->lookupSymbol<mlir::func::FuncOp>(functionName);
  if (!fn || fn.getNumArguments() != 2)
    return evalFail(input + ": error: no function @" + functionName +
                    "(tokens, targets) to evaluate");
  auto idType = cast<mlir::RankedTensorType>(fn.getArgument(0).getType());
  size_t count = idType.getNumElements();
  int64_t vocab = 0;
  fn.walk([&](mlir::nf::EmbeddingOp e) {
    vocab = cast<mlir::RankedTensorType>(e.getTable().getType()).getShape()[0];
  });

  ParamStore store;
  initializeParams(*module,
                   paramsMode == "random" ? ParamInit::Random
                                          : ParamInit::FromInit,
                   seed, store);
  if (!loadParamsPath.empty()) {
    unsigned unused = 0;
    if (Error e = loadParams(*module, loadParamsPath, store, unused))
      return evalFail(toString(std::move(e)));
    if (unused)
      errs() << formatv("note: {0} tensors in {1} are not parameters of this "
                        "module\n",
                        unused, loadParamsPath);
  }
  if (!saveParamsPath.empty())
    if (Error e = saveParams(*module, saveParamsPath, store))
      return evalFail(toString(std::move(e)));

  std::vector<int32_t> tokens, targets;
  if (!tokensPath.empty()) {
    if (Error e = readTokens(tokensPath, count, tokens, targets))
      return evalFail(toString(std::move(e)));
  } else {
    nfrt::Random rng = nfrt::Random::forName("tokens", tokenSeed);
    for (std::vector<int32_t> *ids : {&tokens, &targets})
      for (size_t i = 0; i < count; ++i)
        ids->push_back(int32_t(rng.below(uint64_t(std::max<int64_t>(vocab, 1)))));
  }
  if (!saveTokensPath.empty()) {
    std::error_code ec;
    raw_fd_ostream os(saveTokensPath, ec, sys::fs::OF_None);
    if (ec)
      return evalFail(saveTokensPath + ": error: " + ec.message());
    os.write(reinterpret_cast<char *>(tokens.data()), 4 * count);
    os.write(reinterpret_cast<char *>(targets.data()), 4 * count);
  }

  Expected<double> loss =
      evaluate(*module, functionName, tokens, targets, store);
  if (!loss)
    return evalFail(input + ": error: " + toString(loss.takeError()));
  std::string text = formatv("{0}", format("%.17g", *loss)).str();
  outs() << "loss: " << text << "\n";
  if (!saveLoss.empty()) {
    std::error_code ec;
    raw_fd_ostream os(saveLoss, ec, sys::fs::OF_Text);
    if (ec)
      return evalFail(saveLoss + ": error: " + ec.message());
    os << text << "\n";
  }
  if (!expectLoss.empty()) {
    auto file = MemoryBuffer::getFile(expectLoss);
    double want = 0;
    if (!file || StringRef((*file)->getBuffer()).trim().getAsDouble(want))
      return evalFail(expectLoss + ": error: no loss to compare with");
    double rel = std::fabs(*loss - want) / std::max(std::fabs(want), 1e-300);
    outs() << formatv("expected {0}, relative difference {1}\n",
                      format("%.17g", want), format("%.3g", rel));
    if (!(rel <= rtol))
      return evalFail(formatv("nfc eval: error: the loss differs by {0} "
                              "(relative), more than --rtol={1}",
                              format("%.3g", rel), format("%g", rtol.getValue()))
                          .str());
  }
  return 0;
}
