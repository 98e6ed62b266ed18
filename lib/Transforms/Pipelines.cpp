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

/// The pipeline's reparam and drop choices: a pass's choices plus "none"
/// (the pass is left out).
enum class Reparam { None, Vector, Channel };
enum class Drop { None, All, Input, Output };

struct DefaultPipelineOptions
    : public PassPipelineOptions<DefaultPipelineOptions> {
  Option<bool> unified{*this, "unified",
                       llvm::cl::desc("heterogeneity + placement=both + "
                                      "reparam=vector"),
                       llvm::cl::init(false)};
  Option<bool> heterogeneity{*this, "heterogeneity",
                             llvm::cl::desc("run nf-branch-scales"),
                             llvm::cl::init(false)};
  Option<normfuse::ScalePlacementMode> placement{
      *this, "placement", llvm::cl::desc("where the scale vectors go"),
      llvm::cl::init(normfuse::ScalePlacementMode::In),
      llvm::cl::values(clEnumValN(normfuse::ScalePlacementMode::In, "in",
                                  "before the linear maps"),
                       clEnumValN(normfuse::ScalePlacementMode::Out, "out",
                                  "after the linear maps"),
                       clEnumValN(normfuse::ScalePlacementMode::Both, "both",
                                  "before and after"))};
  Option<Reparam> reparam{
      *this, "reparam",
      llvm::cl::desc("magnitude-direction reparameterization"),
      llvm::cl::init(Reparam::None),
      llvm::cl::values(clEnumValN(Reparam::None, "none", "none"),
                       clEnumValN(Reparam::Vector, "vector",
                                  "one magnitude per scale vector"),
                       clEnumValN(Reparam::Channel, "channel",
                                  "one magnitude per channel"))};
  Option<Drop> drop{
      *this, "drop", llvm::cl::desc("ablation: the scale vectors removed"),
      llvm::cl::init(Drop::None),
      llvm::cl::values(clEnumValN(Drop::None, "none", "none"),
                       clEnumValN(Drop::All, "all", "every scale vector"),
                       clEnumValN(Drop::Input, "input", "Input-Norm ones"),
                       clEnumValN(Drop::Output, "output", "Output-Norm ones"))};
  Option<mlir::nf::OptimizerKind> optimizer{
      *this, "optimizer", llvm::cl::desc("the spec's optimizer"),
      llvm::cl::init(mlir::nf::OptimizerKind::AdamW),
      llvm::cl::values(
          clEnumValN(mlir::nf::OptimizerKind::AdamW, "adamw", "AdamW"),
          clEnumValN(mlir::nf::OptimizerKind::Muon, "muon",
                     "Muon for the 2-D groups, AdamW for the rest"))};
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
  if (o.drop != Drop::None) {
    if (o.drop != Drop::All)
      pm.addPass(normfuse::createNFClassifyNorms());
    normfuse::NFDropScalesOptions drop;
    drop.which = o.drop == Drop::All     ? normfuse::ScaleSelection::All
                 : o.drop == Drop::Input ? normfuse::ScaleSelection::Input
                                         : normfuse::ScaleSelection::Output;
    pm.addPass(normfuse::createNFDropScales(drop));
  }
  if (o.unified || o.heterogeneity)
    pm.addPass(normfuse::createNFBranchScales());
  normfuse::ScalePlacementMode placement =
      o.unified ? normfuse::ScalePlacementMode::Both : o.placement.getValue();
  if (placement != normfuse::ScalePlacementMode::In)
    pm.addPass(normfuse::createNFScalePlacement({placement}));
  Reparam reparam = o.unified && o.reparam == Reparam::None
                        ? Reparam::Vector
                        : o.reparam.getValue();
  if (reparam != Reparam::None) {
    normfuse::NFMDReparamOptions md;
    md.per = reparam == Reparam::Vector ? normfuse::MagnitudeShape::Vector
                                        : normfuse::MagnitudeShape::Channel;
    pm.addPass(normfuse::createNFMDReparam(md));
  }
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
