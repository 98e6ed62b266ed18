//===- Plan.cpp - the runs of a sweep -------------------------------------===//
#include "normfuse/Sweep/Plan.h"
#include "normfuse/Spec/JsonLocator.h"
#include "normfuse/Spec/SpecJson.h"
#include "normfuse/Spec/SpecLoader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

using namespace llvm;
using namespace normfuse;
using namespace normfuse::sweep;

static Error error(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

/// A copy of `object` without null members (absent optional tables and
/// fields) and without the members whose dotted path is in `drop`, at every
/// depth. A copy, not erase(): LLVM 19 crashes when it copies a json::Object
/// that had members erased (DenseMap tombstones of ObjectKey).
static json::Object cleaned(const json::Object &object,
                            ArrayRef<std::string> drop,
                            const std::string &prefix = "") {
  json::Object out;
  for (const auto &kv : object) {
    std::string path = prefix + kv.first.str();
    if (kv.second.kind() == json::Value::Null || is_contained(drop, path))
      continue;
    if (const json::Object *inner = kv.second.getAsObject())
      out[kv.first] = cleaned(*inner, drop, path + ".");
    else
      out[kv.first] = kv.second;
  }
  return out;
}

Expected<json::Object> sweep::loadBaseSpec(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file =
      MemoryBuffer::getFile(path, /*IsText=*/true);
  if (std::error_code ec = file.getError())
    return createStringError(ec, "%s: error: cannot read spec: %s",
                             path.str().c_str(), ec.message().c_str());
  StringRef text = (*file)->getBuffer();
  Expected<LoadedSpec> spec = parseSpec(text, path);
  if (!spec)
    return spec.takeError();
  Expected<std::string> json = specToJson(*spec->spec);
  if (!json)
    return json.takeError();
  Expected<json::Value> value = json::parse(*json);
  if (!value)
    return value.takeError();
  // Fields whose default derives from another field stay derived unless the
  // file writes them: a grid that changes model.norm changes every branch's
  // norm, one that changes d_model changes d_ff. The name is set per
  // variant, the output directory per run (--out).
  JsonLocator written(text);
  std::vector<std::string> drop = {"model.name", "run.out_dir"};
  for (StringRef field : {"attention_norm", "ffn_norm", "final_norm", "d_ff"})
    if (!written.find(("model." + field).str()))
      drop.push_back(("model." + field).str());
  json::Object object = cleaned(*value->getAsObject(), drop);
  if (json::Object *data = object.getObject("data"))
    for (StringRef key : {"train", "val"})
      if (std::optional<StringRef> file = data->getString(key)) {
        SmallString<256> full(*file);
        if (!sys::path::is_absolute(full)) {
          full = spec->baseDir;
          sys::path::append(full, *file);
        }
        sys::fs::make_absolute(full);
        sys::path::remove_dots(full, /*remove_dot_dot=*/true);
        (*data)[key] = std::string(full);
      }
  return object;
}

Error sweep::setField(json::Object &spec, StringRef dotted,
                      const json::Value &value) {
  SmallVector<StringRef> parts;
  dotted.split(parts, '.');
  json::Object *table = &spec;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    json::Value *next = table->get(parts[i]);
    if (!next) {
      table->try_emplace(parts[i], json::Object());
      next = table->get(parts[i]);
    }
    table = next->getAsObject();
    if (!table)
      return error("'" + join(ArrayRef(parts).take_front(i + 1), ".") +
                   "' is not a table, so it has no field '" + parts[i + 1] +
                   "'");
  }
  (*table)[parts.back()] = value;
  return Error::success();
}

/// "file:12:5: error: model.norm.kind: msg" -> "model.norm.kind: msg".
static std::string withoutPosition(StringRef message) {
  SmallVector<StringRef> m;
  if (Regex("^.*: error: (.*)$").match(message, &m))
    return m[1].str();
  return message.str();
}

Expected<Plan> sweep::planSweep(const Grid &grid, const json::Object &base) {
  Plan plan;
  // Cells: the Cartesian product, the first factor varying slowest.
  std::vector<int> levels(grid.factors.size(), 0);
  while (true) {
    Cell cell;
    cell.levels = levels;
    std::vector<std::string> names;
    for (size_t f = 0; f < grid.factors.size(); ++f)
      names.push_back(fileSafe(grid.factors[f].levels[levels[f]].name));
    cell.id = names.empty() ? "base" : join(names, "_");
    plan.cells.push_back(std::move(cell));
    size_t f = grid.factors.size();
    while (f > 0 && ++levels[f - 1] == int(grid.factors[f - 1].levels.size()))
      levels[--f] = 0;
    if (f == 0)
      break;
  }

  for (size_t c = 0; c < plan.cells.size(); ++c) {
    Cell &cell = plan.cells[c];
    auto fail = [&](StringRef what, const Twine &message) {
      return error(grid.path + ": error: cell '" + cell.id + "'" + what + ": " +
                   message);
    };
    json::Object spec = base;
    std::vector<std::string> flags;
    std::vector<const Override *> sets;
    for (const Override &o : grid.set)
      sets.push_back(&o);
    for (size_t f = 0; f < grid.factors.size(); ++f) {
      const Level &level = grid.factors[f].levels[cell.levels[f]];
      for (const Override &o : level.set)
        sets.push_back(&o);
      flags.insert(flags.end(), level.buildFlags.begin(),
                   level.buildFlags.end());
    }
    for (const Override *o : sets)
      if (Error e = setField(spec, o->path, o->value))
        return fail("", o->path + ": " + toString(std::move(e)));
    std::string optimizer = "adamw";
    if (const json::Object *opt = spec.getObject("optimizer"))
      if (std::optional<StringRef> kind = opt->getString("kind"))
        optimizer = kind->str();
    std::vector<LrChoice> lrs = {LrChoice()};
    if (auto it = grid.lr.find(optimizer); it != grid.lr.end())
      lrs = it->second;
    for (size_t i = 0; i < lrs.size(); ++i) {
      Variant v;
      v.cell = c;
      v.lrIndex = i;
      v.lrLabel = lrs[i].label;
      v.id = cell.id + (v.lrLabel.empty() ? "" : "_lr" + fileSafe(v.lrLabel));
      v.optimizer = optimizer;
      v.buildFlags = flags;
      json::Object variant = spec;
      std::string what = v.lrLabel.empty() ? "" : " (lr " + v.lrLabel + ")";
      for (const Override &o : lrs[i].set)
        if (Error e = setField(variant, o.path, o.value))
          return fail(what, o.path + ": " + toString(std::move(e)));
      if (Error e = setField(variant, "model.name", grid.name + "-" + v.id))
        return fail(what, toString(std::move(e)));
      v.specText = formatv("{0:2}", json::Value(std::move(variant))).str();
      Expected<LoadedSpec> loaded = parseSpec(v.specText, v.id + ".json");
      if (!loaded)
        return fail(what, withoutPosition(toString(loaded.takeError())));
      v.steps = loaded->spec->run->steps;
      if (const auto *data = loaded->spec->data.get()) {
        v.trainData = data->train;
        v.textData = data->format == ::nf::spec::DataFormat_text;
      }
      cell.variants.push_back(plan.variants.size());
      plan.variants.push_back(std::move(v));
    }
  }
  for (uint64_t seed : grid.seeds)
    for (size_t v = 0; v < plan.variants.size(); ++v)
      plan.runs.push_back(
          {v, seed,
           formatv("runs/{0}/seed-{1}", plan.variants[v].id, seed).str()});
  return plan;
}
