//===- Grid.cpp - the grid file of nfc sweep ------------------------------===//
//
// llvm::json reads strict JSON only; comments are blanked out first (so
// positions stay) and JsonLocator, which scans the original text, turns a
// field path into the line and column of errors.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Sweep/Grid.h"
#include "normfuse/Spec/JsonLocator.h"
#include "normfuse/Spec/SpecLoader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <set>

using namespace llvm;
using namespace normfuse;
using namespace normfuse::sweep;

std::string sweep::blankJsonComments(StringRef text) {
  std::string out = text.str();
  size_t i = 0, n = out.size();
  while (i < n) {
    char c = out[i];
    if (c == '"') { // a string: skip it, escapes included
      for (++i; i < n && out[i] != '"'; ++i)
        if (out[i] == '\\')
          ++i;
      ++i;
    } else if (c == '/' && i + 1 < n && out[i + 1] == '/') {
      for (; i < n && out[i] != '\n'; ++i)
        out[i] = ' ';
    } else if (c == '/' && i + 1 < n && out[i + 1] == '*') {
      size_t end = out.find("*/", i + 2);
      end = end == std::string::npos ? n : end + 2;
      for (; i < end; ++i)
        if (out[i] != '\n')
          out[i] = ' ';
    } else {
      ++i;
    }
  }
  return out;
}

std::string sweep::fileSafe(StringRef name) {
  std::string out;
  for (char c : name)
    out += isAlnum(c) || c == '.' || c == '_' || c == '-' || c == '=' ? c : '_';
  return out;
}

namespace {

/// Reads one grid; the first error wins and is kept as one line.
class GridReader {
public:
  GridReader(StringRef text, StringRef path) : locator(text), path(path) {}

  std::optional<std::string> error;

  /// Records "file:line:col: error: field: message" (once).
  void fail(StringRef field, const Twine &message) {
    if (error)
      return;
    std::string where = path.str();
    if (std::optional<TextPosition> pos = locator.find(field))
      where += formatv(":{0}:{1}", pos->line, pos->col).str();
    error = where + ": error: " + (field.empty() ? "" : field.str() + ": ") +
            message.str();
  }

  /// Checks that `object` has only the `allowed` keys.
  void onlyKeys(const json::Object &object, StringRef field,
                ArrayRef<StringRef> allowed) {
    for (const auto &kv : object) {
      StringRef key = kv.first;
      if (llvm::is_contained(allowed, key))
        continue;
      fail(join(field, key), "unknown field (expected one of: " +
                                 llvm::join(allowed, ", ") + ")");
    }
  }

  static std::string join(StringRef field, StringRef key) {
    return field.empty() ? key.str() : (field + "." + key).str();
  }
  static std::string index(StringRef field, size_t i) {
    return (field + "[" + Twine(i) + "]").str();
  }

  /// The keys of `object` in sorted order: "model.norm" before
  /// "model.norm.alpha", so a table is set before its fields.
  static std::vector<std::string> sortedKeys(const json::Object &object) {
    std::vector<std::string> keys;
    for (const auto &kv : object)
      keys.push_back(kv.first.str());
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  std::vector<Override> readSet(const json::Value *value, StringRef field) {
    std::vector<Override> set;
    if (!value)
      return set;
    const json::Object *object = value->getAsObject();
    if (!object) {
      fail(field, "expected an object of spec fields, e.g. { \"model.norm."
                  "kind\": \"dyt\" }");
      return set;
    }
    for (const std::string &key : sortedKeys(*object)) {
      SmallVector<StringRef> parts;
      StringRef(key).split(parts, '.');
      if (llvm::any_of(parts, [](StringRef p) { return p.empty(); }))
        fail(join(field, key), "a spec field path is dot-separated names, "
                               "like \"model.norm.kind\"");
      set.push_back({key, *object->get(key)});
    }
    return set;
  }

  std::string readName(const json::Object &object, StringRef field) {
    std::string f = join(field, "name");
    const json::Value *v = object.get("name");
    if (!v) {
      fail(field, "needs a \"name\"");
      return "";
    }
    std::optional<StringRef> s = v->getAsString();
    if (!s || s->empty()) {
      fail(f, "expected a non-empty string");
      return "";
    }
    return s->str();
  }

  Level readLevel(const json::Value &value, StringRef field) {
    Level level;
    const json::Object *object = value.getAsObject();
    if (!object) {
      fail(field, "expected a level object { \"name\": ..., \"set\": {...} }");
      return level;
    }
    onlyKeys(*object, field, {"name", "set", "build_flags"});
    level.name = readName(*object, field);
    level.set = readSet(object->get("set"), join(field, "set"));
    if (const json::Value *flags = object->get("build_flags")) {
      const json::Array *array = flags->getAsArray();
      if (!array)
        fail(join(field, "build_flags"), "expected an array of strings");
      else
        for (size_t i = 0; i < array->size(); ++i) {
          std::optional<StringRef> s = (*array)[i].getAsString();
          if (!s || !s->starts_with("-"))
            fail(index(join(field, "build_flags"), i),
                 "expected an nfc build flag such as \"--fuse\"");
          else
            level.buildFlags.push_back(s->str());
        }
    }
    return level;
  }

  Factor readFactor(const json::Value &value, StringRef field) {
    Factor factor;
    const json::Object *object = value.getAsObject();
    if (!object) {
      fail(field, "expected a factor object { \"name\": ..., \"levels\": "
                  "[...] }");
      return factor;
    }
    onlyKeys(*object, field, {"name", "levels"});
    factor.name = readName(*object, field);
    const json::Value *levels = object->get("levels");
    const json::Array *array = levels ? levels->getAsArray() : nullptr;
    if (!array || array->empty()) {
      fail(levels ? join(field, "levels") : field.str(),
           "needs \"levels\": a non-empty array");
      return factor;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < array->size(); ++i) {
      std::string f = index(join(field, "levels"), i);
      factor.levels.push_back(readLevel((*array)[i], f));
      if (!seen.insert(fileSafe(factor.levels.back().name)).second)
        fail(join(f, "name"), "level '" + factor.levels.back().name +
                                  "' appears twice in factor '" + factor.name +
                                  "'");
    }
    return factor;
  }

  static std::string numberLabel(double v) {
    return formatv("{0}", format("%g", v)).str();
  }

  void readLr(const json::Value &value, Grid &grid) {
    const json::Object *object = value.getAsObject();
    if (!object) {
      fail("lr", "expected an object: optimizer kind -> { spec field: "
                 "[values] }");
      return;
    }
    for (const std::string &kind : sortedKeys(*object)) {
      std::string f = join("lr", kind);
      if (kind != "adamw" && kind != "muon") {
        fail(f, "unknown optimizer kind (expected adamw or muon)");
        return;
      }
      const json::Object *fields = object->get(kind)->getAsObject();
      if (!fields || fields->empty()) {
        fail(f, "expected an object of spec fields to lists of values, e.g. "
                "{ \"optimizer.lr\": [1e-3, 3e-3, 1e-2] }");
        return;
      }
      std::vector<LrChoice> choices;
      for (const std::string &key : sortedKeys(*fields)) {
        std::string ff = join(f, key);
        const json::Array *values = fields->get(key)->getAsArray();
        if (!values || values->empty()) {
          fail(ff, "expected a non-empty array of numbers");
          return;
        }
        if (choices.empty())
          choices.resize(values->size());
        if (values->size() != choices.size()) {
          fail(ff, formatv("has {0} values but the first field of lr.{1} has "
                           "{2}; the lists are zipped",
                           values->size(), kind, choices.size()));
          return;
        }
        for (size_t i = 0; i < values->size(); ++i) {
          std::optional<double> v = (*values)[i].getAsNumber();
          if (!v || !(*v > 0)) {
            fail(index(ff, i), "expected a positive number");
            return;
          }
          LrChoice &c = choices[i];
          c.label += (c.label.empty() ? "" : "/") + numberLabel(*v);
          c.set.push_back({key, (*values)[i]});
        }
      }
      for (size_t i = 0; i < choices.size(); ++i)
        for (size_t j = 0; j < i; ++j)
          if (choices[i].label == choices[j].label) {
            fail(f, "learning rate " + choices[i].label + " appears twice");
            return;
          }
      grid.lr[kind] = std::move(choices);
    }
  }

  std::optional<int64_t> readPositive(const json::Object &object,
                                      StringRef key) {
    const json::Value *v = object.get(key);
    if (!v)
      return std::nullopt;
    std::optional<int64_t> n = v->getAsInteger();
    if (!n || *n < 1 || *n > 4096) {
      fail(key, "expected an integer from 1 to 4096");
      return std::nullopt;
    }
    return n;
  }

  Grid read(const json::Value &root) {
    Grid grid;
    grid.path = path.str();
    const json::Object *object = root.getAsObject();
    if (!object) {
      fail("", "a grid is a JSON object");
      return grid;
    }
    onlyKeys(*object, "",
             {"name", "base", "out_dir", "set", "factors", "lr", "seeds",
              "baseline", "jobs", "threads_per_run"});
    StringRef dir = sys::path::parent_path(path);
    auto relative = [&](StringRef file) {
      if (sys::path::is_absolute(file) || dir.empty())
        return file.str();
      SmallString<256> full(dir);
      sys::path::append(full, file);
      return std::string(full);
    };
    grid.name = sys::path::stem(path).str();
    if (const json::Value *v = object->get("name")) {
      std::optional<StringRef> s = v->getAsString();
      if (!s || s->empty())
        fail("name", "expected a non-empty string");
      else
        grid.name = s->str();
    }
    // The grid's name starts every run's model name and names files.
    if (std::string why = checkModelName(grid.name); !why.empty())
      fail("name", why);
    const json::Value *base = object->get("base");
    if (!base)
      fail("", "needs \"base\": the spec file every run starts from");
    else if (std::optional<StringRef> s = base->getAsString(); s && !s->empty())
      grid.base = relative(*s);
    else
      fail("base", "expected the path of a spec file");
    if (const json::Value *v = object->get("out_dir")) {
      std::optional<StringRef> s = v->getAsString();
      if (!s || s->empty())
        fail("out_dir", "expected a directory path");
      else
        grid.outDir = relative(*s);
    }
    grid.set = readSet(object->get("set"), "set");

    if (const json::Value *v = object->get("factors")) {
      const json::Array *array = v->getAsArray();
      if (!array)
        fail("factors", "expected an array of factors");
      else {
        std::set<std::string> seen;
        for (size_t i = 0; i < array->size(); ++i) {
          grid.factors.push_back(readFactor((*array)[i], index("factors", i)));
          if (!seen.insert(grid.factors.back().name).second)
            fail(index("factors", i) + ".name",
                 "factor '" + grid.factors.back().name + "' appears twice");
        }
      }
    }
    grid.baseline.assign(grid.factors.size(), -1);

    if (const json::Value *v = object->get("lr"))
      readLr(*v, grid);

    const json::Value *seeds = object->get("seeds");
    const json::Array *seedArray = seeds ? seeds->getAsArray() : nullptr;
    if (!seedArray || seedArray->empty())
      fail(seeds ? "seeds" : "", "needs \"seeds\": a non-empty array of "
                                 "integers, e.g. [1, 2, 3]");
    else
      for (size_t i = 0; i < seedArray->size(); ++i) {
        std::optional<int64_t> s = (*seedArray)[i].getAsInteger();
        if (!s || *s < 0)
          fail(index("seeds", i), "expected a non-negative integer");
        else if (llvm::is_contained(grid.seeds, uint64_t(*s)))
          fail(index("seeds", i), formatv("seed {0} appears twice", *s));
        else
          grid.seeds.push_back(uint64_t(*s));
      }

    if (const json::Value *v = object->get("baseline")) {
      const json::Object *b = v->getAsObject();
      if (!b)
        fail("baseline", "expected an object: factor name -> level name");
      else
        for (const std::string &key : sortedKeys(*b)) {
          std::string f = join("baseline", key);
          auto factor = llvm::find_if(
              grid.factors, [&](const Factor &x) { return x.name == key; });
          if (factor == grid.factors.end()) {
            fail(f, "no factor of that name");
            continue;
          }
          std::optional<StringRef> level = b->get(key)->getAsString();
          auto it = level ? llvm::find_if(factor->levels,
                                          [&](const Level &l) {
                                            return l.name == *level;
                                          })
                          : factor->levels.end();
          if (it == factor->levels.end()) {
            std::vector<std::string> names;
            for (const Level &l : factor->levels)
              names.push_back(l.name);
            fail(f, "expected a level of factor '" + key +
                        "' (one of: " + llvm::join(names, ", ") + ")");
            continue;
          }
          grid.baseline[factor - grid.factors.begin()] =
              int(it - factor->levels.begin());
        }
    }
    if (std::optional<int64_t> n = readPositive(*object, "jobs"))
      grid.jobs = int(*n);
    if (std::optional<int64_t> n = readPositive(*object, "threads_per_run"))
      grid.threadsPerRun = int(*n);
    return grid;
  }

private:
  JsonLocator locator;
  StringRef path;
};

} // namespace

Expected<Grid> sweep::parseGrid(StringRef text, StringRef path) {
  // llvm::json's parser recurses once per level: deep text is refused
  // first, by one linear scan, so that no grid file overflows the stack.
  if (std::string deep = JsonLocator(text).tooDeepError(
          path, "a grid nests a few levels deep");
      !deep.empty())
    return createStringError(inconvertibleErrorCode(), deep);
  std::string strict = blankJsonComments(text);
  Expected<json::Value> root = json::parse(strict);
  if (!root) {
    // llvm::json reports "[line:col, byte=N]: message".
    std::string message = toString(root.takeError());
    SmallVector<StringRef> m;
    if (Regex("^\\[([0-9]+):([0-9]+), byte=[0-9]+\\]: (.*)$")
            .match(message, &m))
      return createStringError(inconvertibleErrorCode(),
                               path + ":" + m[1] + ":" + m[2] +
                                   ": error: syntax error: " + m[3]);
    return createStringError(inconvertibleErrorCode(),
                             path + ": error: syntax error: " + message);
  }
  GridReader reader(text, path);
  Grid grid = reader.read(*root);
  if (reader.error)
    return createStringError(inconvertibleErrorCode(), *reader.error);
  return grid;
}

Expected<Grid> sweep::loadGridFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file =
      MemoryBuffer::getFile(path, /*IsText=*/true);
  if (std::error_code ec = file.getError())
    return createStringError(ec, "%s: error: cannot read grid: %s",
                             path.str().c_str(), ec.message().c_str());
  return parseGrid((*file)->getBuffer(), path);
}
