//===- BuildCommand.cpp - nfc build
//-----------------------------------------===//
//
//   nfc build spec.json --emit=mlir   the lowered IR (train step, optimizer)
//   nfc build spec.json --emit=cpp    the generated C++ (CPU target)
//   nfc build spec.json --target=cuda --emit=cuda
//                                     the generated CUDA (one .cu file)
//   nfc build spec.json -o out/       writes out/<model>.cpp and reports
//                                     the memory plan
//   nfc build spec.json --target=cuda writes out/<model>.cu and compiles
//                                     it with nvcc into a training binary
//                                     (--simt: with the host compiler
//                                     against the SIMT harness)
//
//===----------------------------------------------------------------------===//
#include "BuildCommand.h"
#include "RunConfigSource.h"
#include "SpecPipeline.h"

#include "normfuse/Codegen/CppEmitter.h"
#include "normfuse/Codegen/CudaEmitter.h"
#include "normfuse/Spec/Importer.h"

#include "nf/NFDialect.h"
#include "nf/NFTextLimits.h"
#include "nfrt/cuda/RowLimits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;
using namespace normfuse;

cl::SubCommand normfuse::buildCmd(
    "build",
    "lower a spec's train step and compile its training binary (CPU or CUDA)");
cl::SubCommand normfuse::trainCmd(
    "train", "build a spec's training binary (cached) and run it; arguments "
             "after the spec go to the binary");

cl::OptionCategory normfuse::buildCategory("nfc build options");

static cl::opt<std::string> buildSpec(cl::Positional, cl::Required,
                                      cl::desc("<spec.json>"),
                                      cl::cat(buildCategory), cl::sub(buildCmd),
                                      cl::sub(trainCmd));
static cl::opt<std::string>
    emitKind("emit",
             cl::desc("what to print instead of writing files: mlir, cpp "
                      "(--target=cpu) or cuda (--target=cuda)"),
             cl::init(""), cl::cat(buildCategory), cl::sub(buildCmd));
static cl::opt<std::string> outDir("o", cl::desc("output directory"),
                                   cl::value_desc("dir"), cl::init(""),
                                   cl::cat(buildCategory), cl::sub(buildCmd),
                                   cl::sub(trainCmd));
static cl::opt<bool> fuse(
    "fuse",
    cl::desc("fuse each norm + scale (+ bias) with the linear maps that read "
             "it (nf-fuse-norm-linear) before differentiating"),
    cl::init(false), cl::cat(buildCategory), cl::sub(buildCmd),
    cl::sub(trainCmd));
static cl::opt<bool> fuseKernels(
    "fuse-kernels",
    cl::desc("fuse kernels after nf-autodiff: norm + scale in one op each "
             "way (nf-fuse-norm-scale), the loss with its gradient "
             "(nf-fuse-loss); CUDA also residual adds into the "
             "RMSNorm after them and input gradients summed by their GEMMs "
             "(nf-fuse-residual-norm, nf-fuse-grad-accumulate); CPU "
             "gradients and updates in place, one multi-tensor AdamW "
             "(--fuse-kernels=false: one kernel per op, for comparison)"),
    cl::init(true), cl::cat(buildCategory), cl::sub(buildCmd),
    cl::sub(trainCmd));
static cl::opt<int> ranks(
    "ranks",
    cl::desc("data-parallel processes (MPI): each holds batch_size / ranks "
             "sequences; run the binary with mpirun -np <ranks>"),
    cl::init(1), cl::cat(buildCategory), cl::sub(buildCmd), cl::sub(trainCmd));
static cl::opt<std::string> target("target",
                                   cl::desc("cpu (the default) or cuda"),
                                   cl::init("cpu"), cl::cat(buildCategory),
                                   cl::sub(buildCmd), cl::sub(trainCmd));
static cl::opt<bool> simt(
    "simt",
    cl::desc("CUDA target: compile the .cu with the host compiler against "
             "the SIMT harness, a training binary that runs the GPU code on "
             "the CPU (slow; for tests and machines without a GPU)"),
    cl::init(false), cl::cat(buildCategory), cl::sub(buildCmd),
    cl::sub(trainCmd));
static cl::opt<std::string>
    cudaArch("cuda-arch",
             cl::desc("CUDA target: the GPU architectures nvcc compiles for, a "
                      "comma-separated list of compute capabilities"),
             cl::init("80,90"), cl::cat(buildCategory), cl::sub(buildCmd),
             cl::sub(trainCmd));

static cl::opt<std::string> precision(
    "precision",
    cl::desc("CUDA target: bf16 (the default: the activations saved for the "
             "backward in bf16, GEMMs on bf16 inputs with fp32 accumulation; "
             "the residual stream, gradients, weights and optimizer state "
             "fp32) or fp32 (fp32 everywhere). The CPU target is fp32"),
    cl::init(""), cl::cat(buildCategory), cl::sub(buildCmd), cl::sub(trainCmd));

static cl::opt<double> bucketMb(
    "allreduce-bucket-mb",
    cl::desc("CUDA target, --ranks > 1: start the gradient all-reduce of a "
             "bucket once this many MB of consecutive gradients are final, "
             "overlapping the rest of the backward"),
    cl::init(8.0), cl::cat(buildCategory), cl::sub(buildCmd),
    cl::sub(trainCmd));

static cl::opt<bool> printPipeline(
    "print-pipeline",
    cl::desc("print the whole pipeline from the imported IR to the IR the "
             "emitter prints (--emit=mlir), in the form nf-opt "
             "--pass-pipeline takes, and exit"),
    cl::init(false), cl::cat(buildCategory), cl::sub(buildCmd));
static cl::opt<std::string> passPipeline(
    "pass-pipeline",
    cl::desc("run this pipeline on the imported IR instead of the spec's "
             "(builtin.module(...), as --print-pipeline prints it)"),
    cl::value_desc("pipeline"), cl::init(""), cl::cat(buildCategory),
    cl::sub(buildCmd));

static cl::list<std::string> binaryArgs(cl::ConsumeAfter,
                                        cl::desc("<training binary options>"),
                                        cl::sub(trainCmd));

static int buildFail(const Twine &message) {
  errs() << message << "\n";
  return 1;
}

/// Writes `text` to `path`; returns an error message or "".
static std::string writeText(StringRef path, StringRef text) {
  std::error_code ec;
  ToolOutputFile file(path, ec, sys::fs::OF_Text);
  if (ec)
    return (path + ": error: " + ec.message()).str();
  file.os() << text;
  file.keep();
  return "";
}

/// A hash of every runtime header the generated code includes (the CPU
/// kernels are header templates, so a kernel change must rebuild cached
/// binaries even when the generated code and the libraries are the same).
static std::string runtimeHeadersHash() {
  std::vector<std::string> files;
  std::error_code ec;
  for (sys::fs::recursive_directory_iterator it(NF_RUNTIME_INCLUDE_DIR, ec),
       end;
       it != end && !ec; it.increment(ec))
    if (it->type() == sys::fs::file_type::regular_file)
      files.push_back(it->path());
  llvm::sort(files);
  std::string all;
  for (const std::string &f : files) {
    all += f;
    if (auto buf = MemoryBuffer::getFile(f))
      all += (*buf)->getBuffer();
  }
  return utohexstr(xxh3_64bits(all), /*LowerCase=*/true);
}

/// How a binary is compiled: the compiler and its arguments, minus the
/// output file.
struct CompileCommand {
  std::string compiler;
  SmallVector<std::string> args; // args[0] is the compiler
  SmallVector<std::string> libs; // the runtime archives it links
};

/// The CPU target: the generated C++ with the training main, OpenMP and
/// OpenBLAS.
static Expected<CompileCommand> cpuCommand(StringRef model, StringRef config,
                                           int rankCount) {
  ErrorOr<std::string> cxx = sys::findProgramByName(NF_HOST_CXX);
  if (!cxx)
    return createStringError(inconvertibleErrorCode(),
                             Twine("nfc build: error: the host compiler '") +
                                 NF_HOST_CXX + "' is not on PATH");
  std::string libDir = NF_RUNTIME_LIB_DIR;
  std::string mainLib =
      libDir + (rankCount > 1 ? "/libnfrt_main_mpi.a" : "/libnfrt_main.a");
  CompileCommand c{*cxx,
                   {*cxx, "-std=c++17", "-O3", "-march=native", "-fopenmp",
                    // Lets sqrt vectorize (AdamW): no kernel reads errno.
                    "-fno-math-errno", "-I" NF_RUNTIME_INCLUDE_DIR, model.str(),
                    config.str(), mainLib, libDir + "/libnfrt.a", "-lopenblas"},
                   {mainLib, libDir + "/libnfrt.a"}};
  // A sanitized NormFuse build (NF_SANITIZE) links a sanitized runtime.
  for (StringRef flag : split(NF_HOST_SANITIZE_FLAGS, '|'))
    if (!flag.empty())
      c.args.push_back(flag.str());
  return c;
}

/// The main archive of a CUDA binary: with MPI when there is one, so that
/// mpirun can launch it (the same main also takes RANK/WORLD_SIZE).
static std::string cudaMainLib(int rankCount) {
  std::string libDir = NF_RUNTIME_LIB_DIR;
#ifdef NF_MPI_LIBRARIES
  if (rankCount > 1)
    return libDir + "/libnfrt_main_mpi.a";
#endif
  return libDir + "/libnfrt_main.a";
}

/// The CUDA target: nvcc for the GPUs of --cuda-arch, or the host compiler
/// against the SIMT harness (--simt).
static Expected<CompileCommand> cudaCommand(StringRef model, StringRef config,
                                            int rankCount) {
  auto error = [](const Twine &t) {
    return createStringError(inconvertibleErrorCode(), t);
  };
  std::string libDir = NF_RUNTIME_LIB_DIR, mainLib = cudaMainLib(rankCount);
  if (simt) {
    ErrorOr<std::string> cxx = sys::findProgramByName(NF_HOST_CXX);
    if (!cxx)
      return error(Twine("nfc build: error: the host compiler '") +
                   NF_HOST_CXX + "' is not on PATH");
    CompileCommand c{
        *cxx,
        {*cxx, "-std=c++17", "-O2", "-I" NF_RUNTIME_INCLUDE_DIR, "-x", "c++",
         model.str(), "-x", "none", config.str(), mainLib,
         libDir + "/libnfrt.a", libDir + "/libnfrt_simt.a", "-lopenblas",
         "-lpthread"},
        {mainLib, libDir + "/libnfrt.a", libDir + "/libnfrt_simt.a"}};
    for (StringRef flag : split(NF_HOST_SANITIZE_FLAGS, '|'))
      if (!flag.empty())
        c.args.push_back(flag.str());
    return c;
  }
  // --cuda-arch is checked first: a typo is reported the same way whether
  // or not this build found nvcc or is sanitized.
  SmallVector<unsigned> archs;
  SmallVector<StringRef> archNames;
  StringRef(cudaArch).split(archNames, ',', -1, /*KeepEmpty=*/false);
  if (archNames.empty())
    return error("nfc build: error: --cuda-arch is empty; expected compute "
                 "capabilities such as 80,90");
  for (StringRef a : archNames) {
    unsigned cc = 0;
    if (a.trim().getAsInteger(10, cc) || cc < 50 || cc > 200)
      return error("nfc build: error: --cuda-arch: '" + a +
                   "' is not a compute capability such as 80 or 90");
    archs.push_back(cc);
  }
  StringRef nvcc = NF_NVCC;
  if (nvcc.empty() || !sys::fs::can_execute(nvcc))
    return error("nfc build: error: --target=cuda needs nvcc, which this "
                 "build of NormFuse did not find (install the CUDA toolkit in "
                 "/usr/local/cuda and reconfigure); --simt builds the binary "
                 "for the SIMT harness instead");
  if (!StringRef(NF_HOST_SANITIZE_FLAGS).empty())
    return error("nfc build: error: a sanitized NormFuse build links "
                 "sanitized runtime libraries, which nvcc binaries cannot; "
                 "use --simt or the regular build");
  CompileCommand c{
      nvcc.str(),
      {nvcc.str(), "-std=c++17", "-O3", "-I" NF_RUNTIME_INCLUDE_DIR},
      {mainLib, libDir + "/libnfrt.a"}};
  for (unsigned cc : archs) {
    c.args.push_back("-gencode");
    c.args.push_back(formatv("arch=compute_{0},code=sm_{0}", cc).str());
  }
  SmallString<128> cudaLib(
      sys::path::parent_path(sys::path::parent_path(nvcc)));
  sys::path::append(cudaLib, "lib64");
  std::string tail[] = {model.str(), config.str(), mainLib,
                        libDir + "/libnfrt.a", "-lcublas", "-lnccl",
                        // The shared CUDA libraries, found where nvcc's are.
                        "-Xlinker", "-rpath", "-Xlinker", std::string(cudaLib)};
  c.args.append(std::begin(tail), std::end(tail));
  return c;
}

/// Runs `command` into `binary` in `dir`, unless a binary of the same
/// fingerprint, built by the same command, is already there. Returns 0 on
/// success.
static int compileBinary(StringRef dir, StringRef name, StringRef fingerprint,
                         StringRef config, CompileCommand command,
                         int rankCount, bool &upToDate) {
  SmallString<256> binary(dir), stamp(dir), log(dir);
  sys::path::append(binary, name);
  sys::path::append(stamp, name + ".fingerprint");
  sys::path::append(log, "compile.log");
  upToDate = false;
  command.args.push_back("-o");
  command.args.push_back(std::string(binary));
  // The binary is up to date when everything it is built from is the same:
  // the model, its run settings, the runtime headers it includes, the
  // runtime libraries it links and the compiler command.
  std::string key = fingerprint.str() + " headers:" + runtimeHeadersHash();
  if (auto buf = MemoryBuffer::getFile(config))
    key += " config:" +
           utohexstr(xxh3_64bits((*buf)->getBuffer()), /*LowerCase=*/true);
  for (const std::string &lib : command.libs) {
    sys::fs::file_status st;
    if (!sys::fs::status(lib, st))
      key += formatv(" {0}:{1}", st.getSize(),
                     st.getLastModificationTime().time_since_epoch().count())
                 .str();
  }
  key += " command:" + join(command.args, " ");
  if (auto old = MemoryBuffer::getFile(stamp))
    if ((*old)->getBuffer() == key && sys::fs::exists(binary)) {
      upToDate = true;
      return 0;
    }
  if (rankCount > 1) {
#ifdef NF_MPI_LIBRARIES
    for (StringRef lib : split(NF_MPI_LIBRARIES, '|'))
      command.args.push_back(lib.str());
#else
    if (target == "cpu")
      return buildFail("nfc build: error: --ranks needs MPI, which this "
                       "build of NormFuse did not find (install "
                       "libopenmpi-dev and reconfigure)");
#endif
  }
  SmallVector<StringRef> argRefs(command.args.begin(), command.args.end());
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  std::string error;
  int rc = sys::ExecuteAndWait(command.compiler, argRefs, std::nullopt,
                               redirects, 0, 0, &error);
  if (rc != 0)
    return buildFail(Twine("nfc build: error: compiling the generated code "
                           "failed (") +
                     (error.empty() ? "exit " + std::to_string(rc) : error) +
                     "); the compiler's output is in " + log);
  std::string err = writeText(stamp, key);
  return err.empty() ? 0 : buildFail(err);
}

std::string normfuse::builtBinary;

/// The passes that fuse kernels, run on the differentiated functions (after
/// nf-lower-optimizer), as `--fuse-kernels` asks, with the target's limits:
/// the CUDA kernels hold a row in one warp's registers and have no fused
/// LayerNorm; the CPU's take any row and both norms.
static std::string kernelFusionPasses(StringRef target) {
  if (!fuseKernels)
    return "";
  if (target != "cuda")
    return ",nf-fuse-norm-scale,nf-fuse-loss,nf-fuse-adamw";
  std::string maxRow = std::to_string(nfrt::cuda::kMaxRegisterRow);
  return ",nf-fuse-residual-norm{max-row=" + maxRow +
         "},nf-fuse-norm-scale{layernorm=false max-row=" + maxRow +
         "},nf-fuse-loss,nf-fuse-grad-accumulate,nf-fuse-adamw";
}

/// --precision as given, or the target's default (CUDA: bf16, CPU: fp32).
static std::string precisionMode() {
  if (!precision.empty())
    return precision;
  return target == "cuda" ? "bf16" : "fp32";
}

/// The last pass: nf-prepare-emission records the target's memory plan
/// (where each value lives, in which precision) for the emitter to print.
/// --fuse-kernels=false also keeps the CPU's gradients and updates out of
/// G and P (a copy each, the baseline the benchmark compares).
static std::string emissionPass(StringRef target) {
  if (target == "cuda")
    return std::string(",nf-prepare-emission{target=cuda bf16=") +
           (precisionMode() == "bf16" ? "true" : "false") + "}";
  return std::string(",nf-prepare-emission{target=cpu") +
         (fuseKernels ? "" : " in-place=false") + "}";
}

/// `nfc build module.mlir --emit=...`: a hand-written or rewritten module
/// with @forward, through the optimizer plan (defaults), autodiff and the
/// default optimizer step, then printed. There is no spec, so no binary.
static int emitModule() {
  if (emitKind.empty())
    return buildFail("nfc build: error: an .mlir input needs --emit=mlir or "
                     "--emit=cpp (a training binary needs a spec)");
  mlir::MLIRContext ctx;
  ctx.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  auto file = MemoryBuffer::getFileOrSTDIN(buildSpec);
  if (!file)
    return buildFail(buildSpec +
                     ": error: cannot read: " + file.getError().message());
  if (std::string deep =
          mlir::nf::checkIRNesting((*file)->getBuffer(), buildSpec);
      !deep.empty())
    return buildFail(deep);
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(std::move(*file), SMLoc());
  mlir::SourceMgrDiagnosticHandler handler(sources, &ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sources, &ctx);
  if (!module)
    return 1;
  std::string passes = "nf-classify-norms,nf-weight-decay-groups,"
                       "nf-assign-optimizer,nf-autodiff,nf-optimizer-step,"
                       "nf-lower-optimizer";
  passes += kernelFusionPasses(emitKind == "cuda" ? "cuda" : "cpu");
  passes += emissionPass(emitKind == "cuda" ? "cuda" : "cpu");
  if (failed(runPipeline(*module, passes, nullptr)))
    return 1;
  if (emitKind == "mlir") {
    module->print(outs());
    outs() << "\n";
    return 0;
  }
  if (emitKind == "cuda") {
    CudaEmitOptions options;
    options.bf16 = precisionMode() == "bf16";
    return failed(emitCuda(*module, outs(), nullptr, options)) ? 1 : 0;
  }
  return failed(emitCpp(*module, outs(), nullptr)) ? 1 : 0;
}

int normfuse::runBuild() {
  if (target != "cpu" && target != "cuda")
    return buildFail("nfc build: error: unknown --target '" + target +
                     "'; expected cpu or cuda");
  if (!emitKind.empty() && emitKind != "mlir" && emitKind != "cpp" &&
      emitKind != "cuda")
    return buildFail("nfc build: error: unknown --emit '" + emitKind +
                     "'; expected mlir, cpp or cuda");
  if (!precision.empty() && precision != "fp32" && precision != "bf16")
    return buildFail("nfc build: error: unknown --precision '" + precision +
                     "'; expected fp32 or bf16");
  if (precisionMode() != "fp32" && target != "cuda")
    return buildFail("nfc build: error: --precision=" + precision +
                     " needs --target=cuda (the CPU target is fp32)");
  if (emitKind == "cuda" && target != "cuda")
    return buildFail("nfc build: error: --emit=cuda needs --target=cuda");
  if (emitKind == "cpp" && target != "cpu")
    return buildFail("nfc build: error: --emit=cpp needs --target=cpu");
  if (simt && target != "cuda")
    return buildFail("nfc build: error: --simt needs --target=cuda");
  if (!(bucketMb >= 0.0 && bucketMb <= 1e6))
    return buildFail("nfc build: error: --allreduce-bucket-mb must be a "
                     "size in MB, 0 or more");
  if (StringRef(buildSpec).ends_with(".mlir"))
    return emitModule();
  Expected<LoadedSpec> spec = loadSpecFile(buildSpec);
  if (!spec)
    return buildFail(toString(spec.takeError()));
  if (ranks < 1 || spec->spec->run->batch_size % ranks != 0)
    return buildFail(formatv("nfc build: error: --ranks={0} must divide "
                             "run.batch_size ({1})",
                             ranks.getValue(), spec->spec->run->batch_size)
                         .str());
  // Each rank's model holds its slice of the global batch.
  spec->spec->run->batch_size /= ranks;
  mlir::MLIRContext ctx;
  ctx.loadDialect<mlir::nf::NFDialect, mlir::func::FuncDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module = importSpec(ctx, *spec);
  if (!module)
    return buildFail(buildSpec + ": error: import failed");
  std::string passes = trainingPipeline(*spec);
  if (fuse) // after the scale-vector rewrites, before nf-autodiff
    passes.insert(passes.find(",nf-autodiff"), ",nf-fuse-norm-linear");
  passes += kernelFusionPasses(target);
  passes += emissionPass(target);
  if (printPipeline) {
    outs() << "builtin.module(" << passes << ")\n";
    return 0;
  }
  if (!passPipeline.empty())
    passes = passPipeline;
  if (failed(runPipeline(*module, passes, &*spec)))
    return 1;
  if (emitKind == "mlir") {
    module->print(outs());
    outs() << "\n";
    return 0;
  }
  // The generated source of the target, and its memory plan.
  std::string code;
  raw_string_ostream codeStream(code);
  EmitReport report;
  if (target == "cuda") {
    CudaEmitOptions options;
    options.ranks = ranks;
    options.bf16 = precisionMode() == "bf16";
    options.bucketBytes = int64_t(bucketMb * 1048576.0);
    if (failed(emitCuda(*module, codeStream, &report, options)))
      return 1;
  } else {
    if (failed(emitCpp(*module, codeStream, &report)))
      return 1;
  }
  if (!emitKind.empty()) {
    outs() << code;
    return 0;
  }
  const std::string &name = spec->spec->model->name;
  std::string dir = outDir.empty() ? (spec->spec->run->out_dir.empty()
                                          ? "out/" + name
                                          : spec->spec->run->out_dir)
                                   : outDir.getValue();
  if (std::error_code ec = sys::fs::create_directories(dir))
    return buildFail(dir + ": error: cannot create directory: " + ec.message());
  // The fingerprint names the compiled model: the generated code, which
  // depends on the spec, the pipeline and this compiler.
  std::string fingerprint = utohexstr(xxh3_64bits(code), /*LowerCase=*/true);
  SmallString<256> model(dir), config(dir);
  sys::path::append(model, name + (target == "cuda" ? ".cu" : ".cpp"));
  sys::path::append(config, "run_config.cpp");
  for (auto [path, text] :
       {std::pair<StringRef, std::string>{model, code},
        {config, runConfigSource(*spec, fingerprint, dir, ranks)}})
    if (std::string err = writeText(path, text); !err.empty())
      return buildFail(err);
  Expected<CompileCommand> command = target == "cuda"
                                         ? cudaCommand(model, config, ranks)
                                         : cpuCommand(model, config, ranks);
  if (!command)
    return buildFail(toString(command.takeError()));
  bool upToDate = false;
  if (int rc = compileBinary(dir, name, fingerprint, config, *command, ranks,
                             upToDate))
    return rc;
  SmallString<256> binary(dir);
  sys::path::append(binary, name);
  builtBinary = std::string(binary);
  outs() << formatv("{0}: {1} {2} (model {3}; {4} parameter floats, arena "
                    "{5:f1} MB, {6:f1} MB without buffer reuse)\n",
                    buildSpec, upToDate ? "up to date:" : "built", binary,
                    fingerprint, report.paramFloats,
                    report.arenaBytes / 1048576.0,
                    report.naiveArenaBytes / 1048576.0);
  return 0;
}

int normfuse::runTrain() {
  if (int rc = runBuild())
    return rc;
  // Idle OpenMP threads that spin steal the sibling vCPU (bench/README.md).
  setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0);
  SmallVector<StringRef> args = {builtBinary};
  for (const std::string &a : binaryArgs)
    args.push_back(a);
  outs().flush();
  std::string error;
  int rc =
      sys::ExecuteAndWait(builtBinary, args, std::nullopt, {}, 0, 0, &error);
  if (rc < 0)
    return buildFail("nfc train: error: " + builtBinary + ": " + error);
  return rc;
}
