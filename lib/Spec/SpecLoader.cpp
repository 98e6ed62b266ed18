//===- SpecLoader.cpp - model spec JSON -> checked spec
//---------------------===//
//
// Three stages, each of which can fail with one line naming the field:
//  1. FlatBuffers' parser checks the JSON against ModelSpec.fbs (unknown
//     fields, wrong types, missing required tables, integers out of range);
//     JsonLocator adds the field path to its message.
//  2. Defaults the schema cannot state are resolved (required scalars, norm
//     overrides, d_ff).
//  3. Semantic checks of values (sizes, divisibility, ranges).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Spec/SpecLoader.h"
#include "normfuse/Spec/JsonLocator.h"

#include "flatbuffers/idl.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <cmath>

using namespace normfuse;
namespace fbs = nf::spec;

llvm::StringRef normfuse::modelSpecSchema() {
  static const char schema[] =
#include "ModelSpecSchema.inc"
      ;
  return schema;
}

namespace {

/// Collects the first error of a spec, positioned by the JSON text.
class SpecChecker {
public:
  SpecChecker(llvm::StringRef json, llvm::StringRef path)
      : locator(json), path(path.str()) {}

  /// Records `message` about field `field` unless an error is already there.
  void fail(llvm::StringRef field, const llvm::Twine &message) {
    if (error)
      return;
    std::string where = path;
    // Point at the field, else at the closest enclosing table written.
    llvm::StringRef probe = field;
    while (true) {
      if (std::optional<TextPosition> pos = locator.find(probe)) {
        where += llvm::formatv(":{0}:{1}", pos->line, pos->col).str();
        break;
      }
      size_t dot = probe.rfind('.');
      if (dot == llvm::StringRef::npos)
        break;
      probe = probe.take_front(dot);
    }
    error = where + ": error: " + field.str() + ": " + message.str();
  }

  /// Text nested deeper than any spec is refused before it is parsed.
  bool tooDeep() {
    std::string message = locator.tooDeepError(
        path, "a spec nests at most 3 deep (model.norm.kind)");
    if (message.empty())
      return false;
    error = message;
    return true;
  }

  void check(bool ok, llvm::StringRef field, const llvm::Twine &message) {
    if (!ok)
      fail(field, message);
  }

  /// Integers that count something (sizes, steps): strictly positive.
  void positive(int64_t value, llvm::StringRef field) {
    check(value > 0, field, "must be > 0, got " + llvm::Twine(value));
  }
  void nonNegative(int64_t value, llvm::StringRef field) {
    check(value >= 0, field, "must be >= 0, got " + llvm::Twine(value));
  }
  /// A real number in a range; `lo`/`hi` open or closed as the flags say.
  void inRange(double value, llvm::StringRef field, double lo, bool loOpen,
               double hi, bool hiOpen) {
    bool ok = std::isfinite(value) && (loOpen ? value > lo : value >= lo) &&
              (hiOpen ? value < hi : value <= hi);
    if (ok)
      return;
    std::string range =
        (loOpen ? "(" : "[") + fmt(lo) + ", " +
        (std::isinf(hi) ? std::string("inf)") : fmt(hi) + (hiOpen ? ")" : "]"));
    fail(field, "must be in " + range + ", got " + fmt(value));
  }
  void positiveReal(double value, llvm::StringRef field) {
    inRange(value, field, 0.0, true, INFINITY, true);
  }
  /// An enum given as a number must be one of the schema's values; the
  /// message lists them (`names` is flatc's EnumNames<E>() table).
  template <typename E>
  void knownEnum(E value, llvm::StringRef field, E max,
                 const char *const *names) {
    if (static_cast<int>(value) >= 0 &&
        static_cast<int>(value) <= static_cast<int>(max))
      return;
    std::string list;
    for (int i = 0; i <= static_cast<int>(max); ++i)
      list += (i ? ", " : "") + std::string(names[i]);
    fail(field, "unknown value " + llvm::Twine(static_cast<int>(value)) +
                    " (expected one of: " + list + ")");
  }

  static std::string fmt(double v) {
    return llvm::formatv("{0}", llvm::format("%g", v)).str();
  }

  /// Rewrites a FlatBuffers parser error ("<file>:L: C: error: msg", C
  /// being the cursor after the offending token) into
  /// "<path>:L:C: error: <field>: msg", with C at the field's value.
  void failParse(const flatbuffers::Parser &parser) {
    const std::string &parserError = parser.error_;
    llvm::SmallVector<llvm::StringRef> m;
    static const llvm::Regex re("([0-9]+): ([0-9]+): error: (.*)$");
    if (!re.match(parserError, &m)) {
      error = path + ": error: " + parserError;
      return;
    }
    unsigned line = 1, col = 0;
    m[1].getAsInteger(10, line);
    m[2].getAsInteger(10, col);
    std::string field = locator.pathBeforeCursor(line, col);
    llvm::StringRef message = m[3];
    std::string text;
    if (message.consume_front("unknown field: ")) {
      // The locator has not seen the unknown key's value yet when the
      // parser stops right after the key.
      llvm::StringRef parent = llvm::StringRef(field);
      if (!parent.ends_with(message))
        field = (parent.empty() ? "" : parent.str() + ".") + message.str();
      text = "unknown field" + suggestField(parser, field);
    } else if (message.starts_with("enum values need to be qualified")) {
      // FlatBuffers says this of any non-number where a number belongs
      // (a string, true, false).
      text = "expected a number";
    } else if (message.consume_front("unknown enum value: ")) {
      text = "unknown value '" + message.str() + "'" +
             listEnumValues(parser, field);
    } else if (message.consume_front("required field is missing: ")) {
      // "<name> in <Table>": the table being closed holds the field.
      auto [name, tableName] = message.split(" in ");
      field = requiredFieldPath(parser, field, name, tableName);
      text = "is required";
    } else if (message.starts_with("Cannot assign token starting with "
                                   "'float constant'")) {
      text = "expected an integer, got a number with a fraction";
    } else if (message.starts_with("invalid number") ||
               message.starts_with("Cannot assign token") ||
               message.starts_with("type mismatch")) {
      text = message.str();
    } else {
      // Anything else is a syntax error: the field before it is no help.
      error = llvm::formatv("{0}:{1}:{2}: error: syntax error: {3}", path, line,
                            col, message)
                  .str();
      return;
    }
    if (std::optional<TextPosition> pos = locator.find(field)) {
      line = pos->line;
      col = pos->col;
    }
    error = llvm::formatv("{0}:{1}:{2}: error: {3}{4}", path, line, col,
                          field.empty() ? "" : field + ": ", text)
                .str();
  }

  /// The schema table that holds the last component of dotted `field`.
  static const flatbuffers::StructDef *
  parentTable(const flatbuffers::Parser &parser, llvm::StringRef field) {
    llvm::SmallVector<llvm::StringRef> parts;
    field.split(parts, '.');
    const flatbuffers::StructDef *table = parser.root_struct_def_;
    for (llvm::StringRef part : llvm::ArrayRef(parts).drop_back()) {
      const flatbuffers::FieldDef *f = table->fields.Lookup(part.str());
      if (!f || !f->value.type.struct_def)
        return nullptr;
      table = f->value.type.struct_def;
    }
    return table;
  }

  /// The dotted path of required field `name` of table `tableName`, given
  /// the path of the last value the parser read inside that table.
  static std::string requiredFieldPath(const flatbuffers::Parser &parser,
                                       llvm::StringRef lastPath,
                                       llvm::StringRef name,
                                       llvm::StringRef tableName) {
    llvm::SmallVector<llvm::StringRef> parts;
    if (!lastPath.empty())
      lastPath.split(parts, '.');
    for (size_t k = parts.size() + 1; k-- > 0;) {
      std::string prefix;
      const flatbuffers::StructDef *table = parser.root_struct_def_;
      for (size_t i = 0; i < k && table; ++i) {
        const flatbuffers::FieldDef *f = table->fields.Lookup(parts[i].str());
        table = f ? f->value.type.struct_def : nullptr;
        prefix += (i ? "." : "") + parts[i].str();
      }
      if (table && table->name == tableName)
        return (prefix.empty() ? "" : prefix + ".") + name.str();
    }
    return name.str();
  }

  /// " (NormKind has: rmsnorm, layernorm, ...)" for an enum field.
  static std::string listEnumValues(const flatbuffers::Parser &parser,
                                    llvm::StringRef field) {
    const flatbuffers::StructDef *table = parentTable(parser, field);
    const flatbuffers::FieldDef *f =
        table ? table->fields.Lookup(field.rsplit('.').second.empty()
                                         ? field.str()
                                         : field.rsplit('.').second.str())
              : nullptr;
    if (!f || !f->value.type.enum_def)
      return "";
    std::string values;
    for (const flatbuffers::EnumVal *v : f->value.type.enum_def->Vals())
      values += (values.empty() ? "" : ", ") + v->name;
    return " (" + f->value.type.enum_def->name + " has: " + values + ")";
  }

  /// ", did you mean 'n_layers'?" for a misspelt field, from the schema.
  static std::string suggestField(const flatbuffers::Parser &parser,
                                  llvm::StringRef field) {
    const flatbuffers::StructDef *table = parentTable(parser, field);
    if (!table)
      return "";
    llvm::SmallVector<llvm::StringRef> parts;
    field.split(parts, '.');
    std::string best;
    unsigned bestDistance = 3; // suggest only close misspellings
    for (const flatbuffers::FieldDef *f : table->fields.vec) {
      unsigned d = parts.back().edit_distance(f->name);
      if (d < bestDistance) {
        bestDistance = d;
        best = f->name;
      }
    }
    std::string known;
    for (const flatbuffers::FieldDef *f : table->fields.vec)
      known += (known.empty() ? "" : ", ") + f->name;
    return (best.empty() ? "" : "; did you mean '" + best + "'?") + " (" +
           table->name + " has: " + known + ")";
  }

  std::optional<std::string> error;

private:
  JsonLocator locator;
  std::string path;
};

/// Integer d_ff default: 4 d (GELU), 8/3 d rounded up to a multiple of 8
/// (SwiGLU, as LLaMA does, to keep the parameter count of a 4 d GELU MLP).
int64_t defaultFeedForward(const fbs::ModelT &m) {
  int64_t d = *m.d_model;
  if (m.mlp == fbs::MlpKind_swiglu)
    return ((8 * d / 3) + 7) / 8 * 8;
  return 4 * d;
}

/// Fills every optional table and derived default.
void resolveDefaults(fbs::SpecT &spec) {
  fbs::ModelT &m = *spec.model;
  if (!m.norm)
    m.norm = std::make_unique<fbs::NormT>();
  for (std::unique_ptr<fbs::NormT> *slot :
       {&m.attention_norm, &m.ffn_norm, &m.final_norm})
    if (!*slot)
      *slot = std::make_unique<fbs::NormT>(*m.norm);
  // A post_norm model has no final norm, and the resolved spec (nfc spec)
  // must read back: it would be refused with one (found by
  // test/fuzz/FuzzSpec.cpp).
  if (m.architecture == fbs::Architecture_post_norm)
    m.final_norm.reset();
  // A default that does not fit an int32 stays unset; checkModel says so.
  if (!m.d_ff.has_value() && m.d_model.has_value() &&
      defaultFeedForward(m) <= INT32_MAX)
    m.d_ff = static_cast<int32_t>(defaultFeedForward(m));
  if (!spec.optimizer)
    spec.optimizer = std::make_unique<fbs::OptimizerT>();
  if (!spec.schedule)
    spec.schedule = std::make_unique<fbs::ScheduleT>();
  if (!spec.scale_vectors)
    spec.scale_vectors = std::make_unique<fbs::ScaleVectorsT>();
  if (!spec.run)
    spec.run = std::make_unique<fbs::RunT>();
}

/// A number the spec's kind does not read is not range-checked, but it
/// must still be finite: `nfc spec` prints the spec as JSON, which has no
/// inf or nan (found by test/fuzz/FuzzSpec.cpp: the printed spec did not
/// read back).
void finite(SpecChecker &c, double value, const std::string &field) {
  c.check(std::isfinite(value), field,
          "must be finite, got " + SpecChecker::fmt(value));
}

void checkNorm(SpecChecker &c, const fbs::NormT &n, const std::string &field) {
  c.knownEnum(n.kind, field + ".kind", fbs::NormKind_MAX,
              fbs::EnumNamesNormKind());
  finite(c, n.eps, field + ".eps");
  finite(c, n.alpha, field + ".alpha");
  finite(c, n.shift, field + ".shift");
  finite(c, n.ema_momentum, field + ".ema_momentum");
  finite(c, n.ema_blend, field + ".ema_blend");
  switch (n.kind) {
  case fbs::NormKind_rmsnorm:
  case fbs::NormKind_layernorm:
    c.inRange(n.eps, field + ".eps", 0.0, false, INFINITY, true);
    break;
  case fbs::NormKind_derf_ema:
    c.inRange(n.ema_momentum, field + ".ema_momentum", 0.0, false, 1.0, true);
    c.inRange(n.ema_blend, field + ".ema_blend", 0.0, false, 1.0, false);
    [[fallthrough]];
  case fbs::NormKind_derf: // shift: any finite value
    [[fallthrough]];
  case fbs::NormKind_dyt: // DyT has no shift: it is not read
    c.positiveReal(n.alpha, field + ".alpha");
    break;
  }
}

void checkModel(SpecChecker &c, const fbs::ModelT &m, bool finalNormWritten) {
  c.check(m.d_model.has_value(), "model.d_model", "is required");
  c.check(m.n_layers.has_value(), "model.n_layers", "is required");
  c.check(m.n_heads.has_value(), "model.n_heads", "is required");
  c.check(m.seq_len.has_value(), "model.seq_len", "is required");
  if (c.error)
    return;
  c.positive(m.vocab_size, "model.vocab_size");
  c.positive(*m.d_model, "model.d_model");
  c.positive(*m.n_layers, "model.n_layers");
  c.positive(*m.n_heads, "model.n_heads");
  c.positive(*m.seq_len, "model.seq_len");
  if (!m.d_ff.has_value()) {
    c.fail("model.d_model",
           llvm::formatv("{0} is too large: the default d_ff ({1}) does not "
                         "fit a 32-bit integer; set model.d_ff",
                         *m.d_model, defaultFeedForward(m))
               .str());
    return;
  }
  c.positive(*m.d_ff, "model.d_ff");
  if (c.error)
    return;
  c.check(*m.d_model % *m.n_heads == 0, "model.d_model",
          llvm::formatv("{0} is not divisible by model.n_heads ({1})",
                        *m.d_model, *m.n_heads)
              .str());
  c.knownEnum(m.architecture, "model.architecture", fbs::Architecture_MAX,
              fbs::EnumNamesArchitecture());
  c.knownEnum(m.mlp, "model.mlp", fbs::MlpKind_MAX, fbs::EnumNamesMlpKind());
  c.knownEnum(m.position, "model.position", fbs::PositionKind_MAX,
              fbs::EnumNamesPositionKind());
  finite(c, m.rope_theta, "model.rope_theta");
  if (m.position == fbs::PositionKind_rope) {
    c.positiveReal(m.rope_theta, "model.rope_theta");
    int32_t headDim = *m.d_model / *m.n_heads;
    c.check(headDim % 2 == 0, "model.position",
            llvm::formatv("rope rotates pairs of channels, but the head "
                          "dimension d_model/n_heads = {0} is odd",
                          headDim)
                .str());
  }
  c.positiveReal(m.init_std, "model.init_std");
  c.check(!(m.architecture == fbs::Architecture_post_norm && finalNormWritten),
          "model.final_norm",
          "a post_norm model has no final norm (each block ends in one)");
  checkNorm(c, *m.norm, "model.norm");
  checkNorm(c, *m.attention_norm, "model.attention_norm");
  checkNorm(c, *m.ffn_norm, "model.ffn_norm");
  if (m.final_norm)
    checkNorm(c, *m.final_norm, "model.final_norm");
  if (m.qk_norm)
    checkNorm(c, *m.qk_norm, "model.qk_norm");
}

void checkOptimizer(SpecChecker &c, const fbs::OptimizerT &o) {
  c.knownEnum(o.kind, "optimizer.kind", fbs::OptimizerKind_MAX,
              fbs::EnumNamesOptimizerKind());
  c.positiveReal(o.lr, "optimizer.lr");
  c.inRange(o.beta1, "optimizer.beta1", 0.0, false, 1.0, true);
  c.inRange(o.beta2, "optimizer.beta2", 0.0, false, 1.0, true);
  c.positiveReal(o.eps, "optimizer.eps");
  c.inRange(o.weight_decay, "optimizer.weight_decay", 0.0, false, INFINITY,
            true);
  c.positiveReal(o.muon_lr, "optimizer.muon_lr");
  c.inRange(o.muon_momentum, "optimizer.muon_momentum", 0.0, false, 1.0, true);
  c.positive(o.muon_ns_steps, "optimizer.muon_ns_steps");
  c.knownEnum(o.muon_scale, "optimizer.muon_scale", fbs::MuonScale_MAX,
              fbs::EnumNamesMuonScale());
  c.inRange(o.grad_clip, "optimizer.grad_clip", 0.0, false, INFINITY, true);
}

void checkSchedule(SpecChecker &c, const fbs::ScheduleT &s,
                   const fbs::RunT &run) {
  c.knownEnum(s.kind, "schedule.kind", fbs::ScheduleKind_MAX,
              fbs::EnumNamesScheduleKind());
  c.nonNegative(s.warmup_steps, "schedule.warmup_steps");
  c.nonNegative(s.decay_steps, "schedule.decay_steps");
  c.inRange(s.min_lr_ratio, "schedule.min_lr_ratio", 0.0, false, 1.0, false);
  if (s.kind == fbs::ScheduleKind_wsd)
    c.check(s.decay_steps > 0, "schedule.decay_steps",
            "a wsd schedule needs decay_steps > 0");
  c.check(static_cast<int64_t>(s.warmup_steps) + s.decay_steps <= run.steps,
          "schedule.warmup_steps",
          llvm::formatv("warmup_steps + decay_steps = {0} exceeds run.steps "
                        "({1})",
                        static_cast<int64_t>(s.warmup_steps) + s.decay_steps,
                        run.steps)
              .str());
}

void checkScaleVectors(SpecChecker &c, const fbs::ScaleVectorsT &sv) {
  c.knownEnum(sv.placement, "scale_vectors.placement", fbs::Placement_MAX,
              fbs::EnumNamesPlacement());
  c.knownEnum(sv.reparam, "scale_vectors.reparam", fbs::Reparam_MAX,
              fbs::EnumNamesReparam());
  c.knownEnum(sv.drop, "scale_vectors.drop", fbs::DropScales_MAX,
              fbs::EnumNamesDropScales());
  bool rewrites = sv.unified || sv.heterogeneity ||
                  sv.placement != fbs::Placement_in ||
                  sv.reparam != fbs::Reparam_none;
  c.check(sv.drop != fbs::DropScales_all || !rewrites, "scale_vectors.drop",
          "removing every scale vector leaves nothing for heterogeneity, "
          "placement, reparam or unified to act on");
}

void checkData(SpecChecker &c, const fbs::DataT &d) {
  c.check(!d.train.empty(), "data.train", "must name a file");
  c.knownEnum(d.format, "data.format", fbs::DataFormat_MAX,
              fbs::EnumNamesDataFormat());
  c.inRange(d.val_fraction, "data.val_fraction", 0.0, true, 1.0, true);
}

void checkRun(SpecChecker &c, const fbs::RunT &r) {
  c.positive(r.steps, "run.steps");
  c.positive(r.batch_size, "run.batch_size");
  c.nonNegative(r.eval_every, "run.eval_every");
  c.positive(r.eval_batches, "run.eval_batches");
  c.positive(r.log_every, "run.log_every");
  c.nonNegative(r.checkpoint_every, "run.checkpoint_every");
  c.inRange(r.checkpoint_minutes, "run.checkpoint_minutes", 0.0, false,
            INFINITY, true);
}

} // namespace

std::string normfuse::humanBytes(double bytes) {
  const char *units[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
  int u = 0;
  while (bytes >= 1024 && u < 6) {
    bytes /= 1024;
    ++u;
  }
  return llvm::formatv("{0:f1} {1}", bytes, units[u]).str();
}

/// Parameters with their gradient and optimizer state (4 floats each: the
/// value, its gradient, and AdamW's two moments or Muon's momentum and
/// Newton-Schulz scratch) and the activations the train step keeps for the
/// backward (about 12 d + 3 d_ff floats per token and layer, plus two
/// copies of the logits). Counted in double, so absurd sizes cannot
/// overflow.
MemoryEstimate normfuse::estimateTrainingMemory(const fbs::SpecT &spec) {
  const fbs::ModelT &m = *spec.model;
  double d = *m.d_model, layers = *m.n_layers, ff = *m.d_ff,
         vocab = m.vocab_size, seq = *m.seq_len, batch = spec.run->batch_size;
  double mlp = (m.mlp == fbs::MlpKind_swiglu ? 3 : 2) * d * ff;
  double params = vocab * d * (m.tie_embeddings ? 1 : 2) +
                  (m.position == fbs::PositionKind_learned ? seq * d : 0) +
                  layers * (4 * d * d + mlp + 8 * d) + 4 * d;
  double tokens = batch * seq;
  double activations =
      tokens * (layers * (12 * d + 3 * ff) + 2 * vocab + 4 * d);
  return {4.0 * 4.0 * params, 4.0 * activations};
}

/// Refuses a spec whose training state could not be allocated on any
/// machine this targets (1 TiB per process: one GPU or one CPU node),
/// before anything is. Whether it fits this machine is for the training
/// binary to say, where it runs (and `nfc check` warns).
static void checkResources(SpecChecker &c, const fbs::SpecT &spec) {
  const fbs::ModelT &m = *spec.model;
  MemoryEstimate e = estimateTrainingMemory(spec);
  const double limit = 1024.0 * 1024 * 1024 * 1024;
  if (e.total() <= limit)
    return;
  c.fail("model",
         llvm::formatv("too large to train: about {0} ({1} for {2:e2} "
                       "parameters with gradients and optimizer state, {3} "
                       "of activations for batch_size {4} x seq_len {5}), "
                       "more than the {6} NormFuse allows per process "
                       "(d_model {7}, n_layers {8}, d_ff {9})",
                       humanBytes(e.total()), humanBytes(e.stateBytes),
                       e.stateBytes / 16.0, humanBytes(e.activationBytes),
                       spec.run->batch_size, *m.seq_len, humanBytes(limit),
                       *m.d_model, *m.n_layers, *m.d_ff)
             .str());
}

/// The deepest model NormFuse compiles. The generated step, its IR and its
/// compile time grow with every layer; 1024 is several times the deepest
/// published transformers. Without it a narrow model with 75555 layers (a
/// few GB of state, so under the memory limit) passed the checks and then
/// took minutes in the passes alone (found by test/fuzz/FuzzSpec.cpp).
constexpr int32_t kMaxLayers = 1024;

static void checkDepth(SpecChecker &c, const fbs::ModelT &m) {
  c.check(*m.n_layers <= kMaxLayers, "model.n_layers",
          llvm::formatv("{0} layers is more than NormFuse compiles (at most "
                        "{1}: the generated step grows with every layer)",
                        *m.n_layers, kMaxLayers)
              .str());
}

std::string normfuse::checkModelName(llvm::StringRef name) {
  constexpr size_t kMaxName = 128;
  if (name.empty())
    return "is empty";
  if (name.size() > kMaxName)
    return llvm::formatv("is {0} characters long; at most {1}", name.size(),
                         kMaxName)
        .str();
  auto allowed = [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-' || c == '=';
  };
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = name[i];
    if (allowed(c) && (i > 0 || (c != '.' && c != '-')))
      continue;
    // The message stays one line: a name with control bytes is not shown.
    bool printable =
        llvm::all_of(name, [](char ch) { return ch >= 0x20 && ch < 0x7f; });
    std::string shown =
        c >= 0x20 && c < 0x7f
            ? "'" + std::string(1, char(c)) + "'"
            : llvm::formatv("byte 0x{0:x-2}", unsigned(c)).str();
    return llvm::formatv("{0}is not a name: {1} at offset {2} is not allowed "
                         "(a name has letters, digits and '_', '.', '-', '=', "
                         "starts with a letter, digit or '_', and is never "
                         "a path)",
                         printable ? "'" + name.str() + "' " : "", shown, i)
        .str();
  }
  return "";
}

llvm::Expected<LoadedSpec> normfuse::parseSpec(llvm::StringRef json,
                                               llvm::StringRef path) {
  SpecChecker checker(json, path);
  auto failed = [&]() {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   *checker.error);
  };

  flatbuffers::IDLOptions options;
  options.skip_unexpected_fields_in_json = false; // unknown field = error
  flatbuffers::Parser parser(options);
  if (!parser.Parse(modelSpecSchema().str().c_str()))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "internal error: ModelSpec.fbs: " +
                                       parser.error_);
  if (checker.tooDeep())
    return failed();
  // The text handed to FlatBuffers must be NUL-terminated.
  std::string text = json.str();
  if (!parser.Parse(text.c_str(), nullptr, "spec")) {
    checker.failParse(parser);
    return failed();
  }

  flatbuffers::Verifier verifier(parser.builder_.GetBufferPointer(),
                                 parser.builder_.GetSize());
  if (!fbs::VerifySpecBuffer(verifier))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   path.str() +
                                       ": error: the parsed spec failed "
                                       "FlatBuffers verification");
  const fbs::Spec *table = fbs::GetSpec(parser.builder_.GetBufferPointer());

  LoadedSpec loaded;
  loaded.path = path.str();
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  loaded.baseDir = dir.empty() ? "." : dir.str();
  loaded.spec.reset(table->UnPack());
  fbs::SpecT &spec = *loaded.spec;
  bool finalNormWritten = spec.model && spec.model->final_norm != nullptr;
  resolveDefaults(spec);
  // An absent name is the file's; a name written in the spec is checked
  // where it stands, a derived one names the file it came from.
  if (spec.model->name.empty()) {
    // A spec read from standard input ("-") is model 'stdin'.
    spec.model->name =
        path == "-" ? "stdin" : llvm::sys::path::stem(path).str();
    if (std::string why = checkModelName(spec.model->name); !why.empty())
      checker.fail("model.name", "not set, and the spec file's name " + why +
                                     "; set model.name");
  } else if (std::string why = checkModelName(spec.model->name); !why.empty()) {
    checker.fail("model.name", why);
  }

  checkModel(checker, *spec.model, finalNormWritten);
  checkOptimizer(checker, *spec.optimizer);
  checkRun(checker, *spec.run);
  checkSchedule(checker, *spec.schedule, *spec.run);
  checkScaleVectors(checker, *spec.scale_vectors);
  if (spec.data)
    checkData(checker, *spec.data);
  if (!checker.error)
    checkResources(checker, spec); // first: its message says the memory
  if (!checker.error)
    checkDepth(checker, *spec.model);
  if (checker.error)
    return failed();
  return loaded;
}

llvm::Expected<LoadedSpec> normfuse::loadSpecFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (std::error_code ec = file.getError())
    return llvm::createStringError(ec, "%s: error: cannot read spec: %s",
                                   path.str().c_str(), ec.message().c_str());
  return parseSpec((*file)->getBuffer(), path);
}
