//===- EvalCommand.cpp - nfc eval -----------------------------------------===//
//
//   nfc eval spec.json|module.mlir [--pipeline=passes] [--batch=N]
//            [--params=init|random] [--seed=N] [--matrix-std=X]
//            [--load-params=F]
//            [--set-param=name=v,...]... [--save-params=F]
//            [--tokens=F | --token-seed=N] [--save-tokens=F]
//            [--function=name] [--save-module=F] [--print-state]
//            [--save-loss=F] [--expect-loss-file=F --rtol=X]
//
// Evaluates @forward (or --function) with the reference interpreter in
// double precision and prints `loss: <%.17g>` (a function with other
// results prints each as `result: <shape>` and its rows). Parameter files are
// NFPARAM1 (normfuse/Interpreter/ParamFile.h); token files are raw
// little-endian int32, B*T tokens then B*T targets (TokenFile.h).
// --save-params writes the values the function was evaluated with, before
// nf.assign_state updates them, so that the file reproduces the loss.
// Errors are one line and a non-zero exit.
//
//===----------------------------------------------------------------------===//
#include "EvalCommand.h"
#include "SpecPipeline.h"
#include "nfrt/MachineMemory.h"

#include "normfuse/Interpreter/Interpreter.h"
#include "normfuse/Interpreter/TokenFile.h"
#include "normfuse/Spec/Importer.h"

#include "nf/NFDialect.h"
#include "nf/NFTextLimits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <optional>

using namespace llvm;
using namespace normfuse;
using namespace normfuse::interp;

cl::SubCommand normfuse::evalCmd(
    "eval", "the loss of a spec or module by the reference interpreter "
            "(double precision)");
cl::OptionCategory normfuse::evalCategory("nfc eval options");

namespace {

template <typename T> using Opt = cl::opt<T>;

Opt<std::string> input(cl::Positional, cl::Required,
                       cl::desc("<spec.json | module.mlir>"),
                       cl::cat(evalCategory), cl::sub(evalCmd));
Opt<std::string>
    pipeline("pipeline",
             cl::desc("passes to run first, in nf-opt's syntax, or 'default' "
                      "for the pipeline the spec selects"),
             cl::value_desc("passes"), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<int> batch("batch",
               cl::desc("import the spec with run.batch_size = N (a smaller "
                        "batch evaluates faster)"),
               cl::value_desc("N"), cl::init(0), cl::cat(evalCategory),
               cl::sub(evalCmd));
Opt<std::string> paramsMode(
    "params",
    cl::desc("initial parameter values: 'init' (each nf.param's init) or "
             "'random' (scale vectors, biases and scalars away from init)"),
    cl::value_desc("init|random"), cl::init("init"), cl::cat(evalCategory),
    cl::sub(evalCmd));
Opt<uint64_t> seed("seed", cl::desc("seed of the parameter values"),
                   cl::value_desc("N"), cl::init(0), cl::cat(evalCategory),
                   cl::sub(evalCmd));
Opt<double> matrixStd(
    "matrix-std",
    cl::desc("with --params=random: matrices, embeddings and the head from "
             "N(0, X) instead of their init's std (sharper attention and "
             "logits, so a comparison sees more)"),
    cl::value_desc("X"), cl::init(0), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<std::string> loadParamsPath(
    "load-params",
    cl::desc("take parameter values from an NFPARAM1 file (by name, else by "
             "derived_from)"),
    cl::value_desc("file"), cl::cat(evalCategory), cl::sub(evalCmd));
cl::list<std::string> setParams(
    "set-param",
    cl::desc("set a parameter: name=v0,v1,... row-major, or name=v for "
             "every element (repeatable)"),
    cl::value_desc("name=values"), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<std::string> saveParamsPath(
    "save-params", cl::desc("write the parameter values used (NFPARAM1)"),
    cl::value_desc("file"), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<std::string> tokensPath(
    "tokens",
    cl::desc("evaluate on this token file (int32: tokens, then targets)"),
    cl::value_desc("file"), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<uint64_t> tokenSeed("token-seed", cl::desc("seed of the random token ids"),
                        cl::value_desc("N"), cl::init(0), cl::cat(evalCategory),
                        cl::sub(evalCmd));
Opt<std::string> saveTokensPath("save-tokens",
                                cl::desc("write the token ids used"),
                                cl::value_desc("file"), cl::cat(evalCategory),
                                cl::sub(evalCmd));
Opt<std::string> functionName("function", cl::desc("the function to evaluate"),
                              cl::value_desc("name"), cl::init("forward"),
                              cl::cat(evalCategory), cl::sub(evalCmd));
Opt<std::string>
    saveModule("save-module",
               cl::desc("write the module evaluated (after --pipeline)"),
               cl::value_desc("file"), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<bool> printState("print-state",
                     cl::desc("print every state tensor (running RMS) after "
                              "the evaluation's nf.assign_state"),
                     cl::init(false), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<bool> ignoreMemoryLimit(
    "ignore-memory-limit",
    cl::desc("evaluate even when the estimate says the machine's memory is "
             "too small (it counts every parameter and the values alive at "
             "once, in double precision)"),
    cl::init(false), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<std::string> saveLoss("save-loss",
                          cl::desc("write the loss (%.17g) to a file"),
                          cl::value_desc("file"), cl::cat(evalCategory),
                          cl::sub(evalCmd));
Opt<std::string>
    expectLoss("expect-loss-file",
               cl::desc("fail unless the loss matches the one in this file "
                        "to --rtol"),
               cl::value_desc("file"), cl::cat(evalCategory), cl::sub(evalCmd));
Opt<double> rtol("rtol", cl::desc("relative tolerance of --expect-loss-file"),
                 cl::init(1e-9), cl::cat(evalCategory), cl::sub(evalCmd));

/// Messages that name their file already read "file: error: ..."; others
/// get the command's name in front.
int fail(const Twine &message) {
  std::string text = message.str();
  if (StringRef(text).contains(": error: "))
    errs() << text << "\n";
  else
    errs() << "nfc eval: error: " << text << "\n";
  return 1;
}

int fail(Error e) { return fail(toString(std::move(e))); }

/// "17 digits" prints the exact double; rows of a tensor print 15, the
/// digits that survive any decimal round trip, so that closed-form values
/// read as such (0.6, not 0.59999999999999998).
std::string number(double v, int digits) {
  return formatv("{0}", format("%.*g", digits, v)).str();
}

/// Where a diagnostic points: "f.mlir:3:8", or the location as printed.
std::string describe(mlir::Location loc) {
  if (auto file = dyn_cast<mlir::FileLineColLoc>(loc))
    return formatv("{0}:{1}:{2}", file.getFilename().getValue(), file.getLine(),
                   file.getColumn())
        .str();
  std::string text;
  raw_string_ostream os(text);
  os << loc;
  return text;
}

/// The module to evaluate: an .mlir file parsed, or a spec imported as
/// `nfc import` does (with --batch). `spec` keeps the spec for --pipeline.
mlir::OwningOpRef<mlir::ModuleOp> loadModule(mlir::MLIRContext &ctx,
                                             std::optional<LoadedSpec> &spec,
                                             std::string &error) {
  ctx.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  // Parse and verifier errors on one line each, the first one kept.
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &d) {
    if (error.empty() && d.getSeverity() == mlir::DiagnosticSeverity::Error)
      error = describe(d.getLocation()) + ": error: " + d.str();
    return mlir::success();
  });
  if (StringRef(input).ends_with(".mlir")) {
    if (batch > 0) {
      error = "--batch applies to a spec; an .mlir module has its shapes";
      return nullptr;
    }
    llvm::SourceMgr sources;
    auto file = MemoryBuffer::getFileOrSTDIN(input);
    if (!file) {
      error = input + ": error: cannot read: " + file.getError().message();
      return nullptr;
    }
    error = mlir::nf::checkIRNesting((*file)->getBuffer(), input);
    if (!error.empty())
      return nullptr;
    sources.AddNewSourceBuffer(std::move(*file), SMLoc());
    return mlir::parseSourceFile<mlir::ModuleOp>(sources, &ctx);
  }
  Expected<LoadedSpec> loaded = loadSpecFile(input);
  if (!loaded) {
    error = toString(loaded.takeError());
    return nullptr;
  }
  spec = std::move(*loaded);
  if (batch < 0) {
    error = formatv("--batch must be > 0, got {0}", batch.getValue());
    return nullptr;
  }
  if (batch > 0)
    spec->spec->run->batch_size = batch;
  mlir::OwningOpRef<mlir::ModuleOp> module = importSpec(ctx, *spec);
  if (!module)
    error = input +
            ": error: the imported IR failed verification (a bug "
            "in nfc): " +
            error;
  return module;
}

/// The initial, loaded and set parameter values; --save-params.
Error prepareParams(ArrayRef<ParamDecl> decls, ParamStore &store) {
  if (paramsMode != "init" && paramsMode != "random")
    return createStringError(inconvertibleErrorCode(),
                             "--params must be init or random, got '" +
                                 paramsMode + "'");
  if (matrixStd < 0 || (matrixStd > 0 && paramsMode != "random"))
    return createStringError(inconvertibleErrorCode(),
                             "--matrix-std needs --params=random and a value "
                             ">= 0");
  InitOptions init;
  init.mode = paramsMode == "random" ? ParamValues::Random : ParamValues::Init;
  init.seed = seed;
  init.matrixStd = matrixStd;
  initializeParams(decls, init, store);
  if (!loadParamsPath.empty()) {
    Expected<std::vector<NamedTensor>> file = readParamFile(loadParamsPath);
    if (!file)
      return file.takeError();
    Expected<unsigned> unused = loadParams(decls, *file, loadParamsPath, store);
    if (!unused)
      return unused.takeError();
    if (*unused == 1)
      errs() << "note: 1 tensor in " << loadParamsPath
             << " is not a parameter of this module\n";
    else if (*unused)
      errs() << formatv("note: {0} tensors in {1} are not parameters of this "
                        "module\n",
                        *unused, loadParamsPath);
  }
  for (const std::string &assignment : setParams)
    if (Error e = setParam(decls, assignment, store))
      return e;
  if (!saveParamsPath.empty())
    return saveParams(decls, store, saveParamsPath);
  return Error::success();
}

/// Token ids from --tokens or --token-seed; --save-tokens.
Expected<TokenBatch> prepareTokens(const Signature &sig) {
  TokenBatch ids;
  if (!tokensPath.empty()) {
    Expected<TokenBatch> file = readTokenFile(tokensPath, sig.idsPerArg);
    if (!file)
      return file.takeError();
    ids = std::move(*file);
  } else if (sig.numIdArgs) {
    if (sig.vocab <= 0)
      return createStringError(
          inconvertibleErrorCode(),
          "@" + functionName +
              " has no nf.embedding or nf.cross_entropy to tell the "
              "vocabulary of random token ids; give --tokens");
    ids = randomTokens(sig.idsPerArg, sig.vocab, tokenSeed);
  }
  if (!saveTokensPath.empty())
    if (Error e = writeTokenFile(saveTokensPath, ids))
      return std::move(e);
  return ids;
}

/// --save-loss and --expect-loss-file.
int checkLoss(double loss) {
  if (!saveLoss.empty()) {
    std::error_code ec;
    raw_fd_ostream os(saveLoss, ec, sys::fs::OF_Text);
    if (ec)
      return fail(saveLoss + ": error: cannot write: " + ec.message());
    os << number(loss, 17) << "\n";
  }
  if (expectLoss.empty())
    return 0;
  auto file = MemoryBuffer::getFile(expectLoss);
  double want = 0;
  if (!file || StringRef((*file)->getBuffer()).trim().getAsDouble(want))
    return fail(expectLoss + ": error: no loss to compare with");
  double rel = std::fabs(loss - want) / std::max(std::fabs(want), 1e-300);
  outs() << formatv("expected {0}, relative difference {1}\n", number(want, 17),
                    format("%.3g", rel));
  if (!(rel <= rtol))
    return fail(formatv("the loss differs by {0} (relative), more than "
                        "--rtol={1}",
                        format("%.3g", rel), format("%g", rtol.getValue())));
  return 0;
}

void printTensor(const Tensor &t, StringRef which) {
  outs() << "result" << which << ": " << formatShape(t.shape) << "\n";
  int64_t width = t.lastDim();
  for (int64_t r = 0; r < t.rows(); ++r) {
    for (int64_t j = 0; j < width; ++j)
      outs() << (j ? " " : "") << number(t.data[r * width + j], 15);
    outs() << "\n";
  }
}

} // namespace

int normfuse::runEval() {
  mlir::MLIRContext ctx;
  std::optional<LoadedSpec> spec;
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module = loadModule(ctx, spec, error);
  if (!module)
    return fail(error.empty() ? input + ": error: cannot load" : error);

  if (!pipeline.empty()) {
    if (pipeline == "default" && !spec)
      return fail("--pipeline=default needs a spec; name the passes for an "
                  ".mlir module");
    if (failed(runPipeline(*module, pipeline, spec ? &*spec : nullptr)))
      return 1;
  }
  if (!saveModule.empty()) {
    std::error_code ec;
    raw_fd_ostream os(saveModule, ec, sys::fs::OF_Text);
    if (ec)
      return fail(saveModule + ": error: cannot write: " + ec.message());
    module->print(os);
  }

  Expected<Signature> sig = signatureOf(*module, functionName);
  if (!sig)
    return fail(input + ": error: " + toString(sig.takeError()));
  // Refused before anything is allocated, with both numbers.
  EvaluationBytes need = evaluationBytes(*module, functionName);
  nfrt::MachineMemory have = nfrt::machineMemory();
  if (need.total() > have.bytes && !ignoreMemoryLimit)
    return fail(formatv("{0}: error: evaluating @{1} needs about {2} of "
                        "memory ({3} of parameters and {4} of values, in "
                        "double precision) but this machine has {5} ({6}); "
                        "try a smaller --batch, or pass --ignore-memory-limit",
                        input, functionName, humanBytes(double(need.total())),
                        humanBytes(double(need.params)),
                        humanBytes(double(need.values)),
                        humanBytes(double(have.bytes)), have.source)
                    .str());
  std::vector<ParamDecl> decls = paramDecls(*module);
  ParamStore store;
  if (Error e = prepareParams(decls, store))
    return fail(std::move(e));
  Expected<TokenBatch> tokens = prepareTokens(*sig);
  if (!tokens)
    return fail(tokens.takeError());

  std::vector<std::vector<int32_t>> args;
  if (sig->numIdArgs > 0)
    args.push_back(std::move(tokens->tokens));
  if (sig->numIdArgs > 1)
    args.push_back(std::move(tokens->targets));
  if (sig->numIdArgs > 2)
    return fail(input + ": error: @" + functionName +
                " takes more than (tokens, targets)");
  Expected<std::vector<Tensor>> results =
      evaluate(*module, functionName, args, store);
  if (!results)
    return fail(input + ": error: " + toString(results.takeError()));

  if (printState)
    for (const ParamDecl &p : decls)
      if (p.group == ParamGroup::State) {
        outs() << "state @" << p.name << ":";
        for (double v : store[p.name].data)
          outs() << " " << number(v, 17);
        outs() << "\n";
      }
  if (results->size() == 1 && results->front().shape.empty()) {
    double loss = results->front().data[0];
    outs() << "loss: " << number(loss, 17) << "\n";
    return checkLoss(loss);
  }
  if (!saveLoss.empty() || !expectLoss.empty())
    return fail("--save-loss and --expect-loss-file need a function that "
                "returns one scalar (a loss)");
  for (auto [i, t] : llvm::enumerate(*results))
    printTensor(t, results->size() == 1 ? "" : formatv(" #{0}", i).str());
  return 0;
}
