//===- RunMetrics.cpp - one run's metrics.jsonl ---------------------------===//
#include "normfuse/Sweep/RunMetrics.h"
#include "normfuse/Spec/JsonLocator.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace llvm;
using namespace normfuse::sweep;

Expected<RunMetrics> normfuse::sweep::parseMetrics(StringRef text,
                                                   StringRef path) {
  RunMetrics m;
  SmallVector<StringRef> lines;
  text.split(lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (size_t i = 0; i < lines.size(); ++i) {
    // A line nested deeper than any record is not one (and llvm::json's
    // recursive parser must not see it).
    Expected<json::Value> v =
        JsonLocator(lines[i]).tooDeep()
            ? Expected<json::Value>(createStringError(inconvertibleErrorCode(),
                                                      "nested too deep"))
            : json::parse(lines[i]);
    const json::Object *o = v ? v->getAsObject() : nullptr;
    std::optional<int64_t> step = o ? o->getInteger("step") : std::nullopt;
    if (!v)
      consumeError(v.takeError());
    if (!step) {
      if (i + 1 == lines.size()) // half a line written when it was killed
        break;
      return createStringError(inconvertibleErrorCode(),
                               "%s:%zu: error: not a metrics record",
                               path.str().c_str(), i + 1);
    }
    m.lastStep = std::max(m.lastStep, *step);
    for (const auto &kv : *o) {
      StringRef key = kv.first;
      if (key == "step")
        continue;
      double value = NAN; // null: a non-finite value
      if (std::optional<double> d = kv.second.getAsNumber())
        value = *d;
      else if (kv.second.kind() != json::Value::Null)
        continue; // "loss_nonfinite": "nan" and other non-numbers
      if (key == "loss")
        m.loss[*step] = value;
      else if (key == "val_loss")
        m.valLoss[*step] = value;
      else
        m.fields[key.str()][*step] = value;
    }
  }
  return m;
}

Expected<RunMetrics> normfuse::sweep::readMetrics(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(path);
  if (std::error_code ec = file.getError())
    return createStringError(ec, "%s: error: %s", path.str().c_str(),
                             ec.message().c_str());
  return parseMetrics((*file)->getBuffer(), path);
}
