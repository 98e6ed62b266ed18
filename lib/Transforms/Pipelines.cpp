//===- Pipelines.cpp - the named nf pass pipelines
//--------------------------===//
//
// nf-default-pipeline: the scale-vector strategy of a spec, then the
// optimizer plan, then (optionally) fusion. Order matters:
//   drop      needs roles (when which=input|output), so classify first;
//   branch -> placement -> reparam build the "unified" strategy
//             (arXiv 2605.26895), each usable alone;
//   classify -> weight decay -> optimizer read the final graph.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace {

struct DefaultPipelineOptions
    : public PassPipelineOptions<DefaultPipelineOptions> {
  Option<bool> unified{*this, "unified",
                       llvm::cl::desc("heterogeneity + placement=both + "
                                      "reparam=vector"),
                       llvm::cl::init(false)};
  Option<bool> heterogeneity{*this, "heterogeneity",
                             llvm::cl::desc("run nf-branch-scales"),
                             llvm::cl::init(false)};
  Option<std::string> placement{*this, "placement",
                                llvm::cl::desc("in, out or both"),
                                llvm::cl::init("in")};
  Option<std::string> reparam{*this, "reparam",
                              llvm::cl::desc("none, vector or channel"),
                              llvm::cl::init("none")};
  Option<std::string> drop{*this, "drop",
                           llvm::cl::desc("none, all, input or output"),
                           llvm::cl::init("none")};
  Option<std::string> optimizer{*this, "optimizer",
                                llvm::cl::desc("adamw or muon"),
                                llvm::cl::init("adamw")};
  Option<double> weightDecay{*this, "weight-decay",
                             llvm::cl::desc("decay of the decayed groups"),
                             llvm::cl::init(0.1)};
  Option<bool> decayInputNorm{*this, "decay-input-norm",
                              llvm::cl::desc("decay Input-Norm scales"),
                              llvm::cl::init(true)};
  Option<bool> decayOutputNorm{*this, "decay-output-norm",
                               llvm::cl::desc("decay Output-Norm scales"),
                               llvm::cl::init(false)};
  Option<bool> fuse{*this, "fuse", llvm::cl::desc("run nf-fuse-norm-linear"),
                    llvm::cl::init(false)};
};

void buildDefaultPipeline(OpPassManager &pm, const DefaultPipelineOptions &o) {
  if (o.drop != "none") {
    if (o.drop != "all")
      pm.addPass(normfuse::createNFClassifyNorms());
    pm.addPass(normfuse::createNFDropScales({o.drop}));
  }
  if (o.unified || o.heterogeneity)
    pm.addPass(normfuse::createNFBranchScales());
  std::string placement =
      o.unified ? std::string("both") : o.placement.getValue();
  if (placement != "in")
    pm.addPass(normfuse::createNFScalePlacement({placement}));
  std::string reparam = o.unified && o.reparam == "none"
                            ? std::string("vector")
                            : std::string(o.reparam);
  if (reparam != "none")
    pm.addPass(normfuse::createNFMDReparam({reparam}));
  pm.addPass(normfuse::createNFClassifyNorms());
  normfuse::NFWeightDecayGroupsOptions wd;
  wd.weightDecay = o.weightDecay;
  wd.decayInputNorm = o.decayInputNorm;
  wd.decayOutputNorm = o.decayOutputNorm;
  pm.addPass(normfuse::createNFWeightDecayGroups(wd));
  normfuse::NFAssignOptimizerOptions opt;
  opt.optimizer = o.optimizer;
  pm.addPass(normfuse::createNFAssignOptimizer(opt));
  if (o.fuse)
    pm.addPass(normfuse::createNFFuseNormLinear());
}

} // namespace

void normfuse::registerNFPipelines() {
  PassPipelineRegistration<DefaultPipelineOptions>(
      "nf-default-pipeline",
      "The spec's scale-vector strategy, then norm roles, weight-decay "
      "groups and the optimizer plan (and fusion with fuse=true)",
      buildDefaultPipeline);
}
