//===- SpecJson.cpp - a resolved spec as strict JSON ----------------------===//
//
// The spec is packed back into a FlatBuffer (with every default written) and
// printed by walking the schema's own field list, so a field added to
// ModelSpec.fbs appears here without a change. flatbuffers::GenerateText is
// not used: FlatBuffers 2.0.8 prints doubles in fixed notation with 12
// decimals, so eps = 1e-13 would read back as 0.0.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Spec/SpecJson.h"
#include "normfuse/Spec/SpecLoader.h"

#include "flatbuffers/idl.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

using namespace normfuse;

namespace {

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A double as Python's repr() writes it: the fewest significant digits
/// that read back to the same double, in fixed notation for exponents -4 to
/// 15 with at least one decimal (10000.0, 0.02, not 1e+04), else in
/// scientific notation (1e-05). So a JSON reader sees a float where the
/// schema has a double, and every value round-trips. JSON has no inf or
/// nan (the loader rejects them anyway): those print as null.
std::string jsonNumber(double v) {
  if (!std::isfinite(v))
    return "null";
  auto print = [](const char *fmt, int precision, double x) {
    return llvm::formatv("{0}", llvm::format(fmt, precision, x)).str();
  };
  int digits = 1;
  while (digits < 17 &&
         std::strtod(print("%.*e", digits - 1, v).c_str(), nullptr) != v)
    ++digits;
  std::string sci = print("%.*e", digits - 1, v);
  int exponent = std::atoi(sci.c_str() + sci.find('e') + 1);
  if (exponent < -4 || exponent >= 16)
    return sci;
  return print("%.*f", std::max(digits - 1 - exponent, 1), v);
}

std::string jsonString(llvm::StringRef s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\')
      out += std::string("\\") + char(c);
    else if (c < 0x20)
      out += llvm::formatv("\\u{0:x-4}", unsigned(c)).str();
    else
      out += char(c);
  }
  return out + "\"";
}

class JsonPrinter {
public:
  explicit JsonPrinter(llvm::raw_ostream &os) : os(os) {}

  llvm::Error table(const flatbuffers::StructDef &def,
                    const flatbuffers::Table &t, unsigned indent);

private:
  llvm::Error field(const flatbuffers::FieldDef &f, const flatbuffers::Table &t,
                    unsigned indent);
  void scalar(const flatbuffers::FieldDef &f, const flatbuffers::Table &t);

  llvm::raw_ostream &os;
};

void JsonPrinter::scalar(const flatbuffers::FieldDef &f,
                         const flatbuffers::Table &t) {
  using namespace flatbuffers;
  voffset_t at = f.value.offset;
  BaseType type = f.value.type.base_type;
  if (type == BASE_TYPE_BOOL) {
    os << (t.GetField<uint8_t>(at, 0) ? "true" : "false");
    return;
  }
  if (IsFloat(type)) {
    os << jsonNumber(type == BASE_TYPE_FLOAT ? t.GetField<float>(at, 0)
                                             : t.GetField<double>(at, 0));
    return;
  }
  int64_t v = 0;
  uint64_t u = 0;
  bool isUnsigned = false;
  switch (type) {
  case BASE_TYPE_CHAR:
    v = t.GetField<int8_t>(at, 0);
    break;
  case BASE_TYPE_SHORT:
    v = t.GetField<int16_t>(at, 0);
    break;
  case BASE_TYPE_INT:
    v = t.GetField<int32_t>(at, 0);
    break;
  case BASE_TYPE_LONG:
    v = t.GetField<int64_t>(at, 0);
    break;
  case BASE_TYPE_UCHAR:
  case BASE_TYPE_UTYPE:
    u = t.GetField<uint8_t>(at, 0), isUnsigned = true;
    break;
  case BASE_TYPE_USHORT:
    u = t.GetField<uint16_t>(at, 0), isUnsigned = true;
    break;
  case BASE_TYPE_UINT:
    u = t.GetField<uint32_t>(at, 0), isUnsigned = true;
    break;
  default:
    u = t.GetField<uint64_t>(at, 0), isUnsigned = true;
    break;
  }
  if (const EnumDef *e = f.value.type.enum_def) {
    if (const EnumVal *val =
            e->ReverseLookup(isUnsigned ? int64_t(u) : v, false)) {
      os << jsonString(val->name);
      return;
    }
  }
  if (isUnsigned)
    os << u;
  else
    os << v;
}

llvm::Error JsonPrinter::field(const flatbuffers::FieldDef &f,
                               const flatbuffers::Table &t, unsigned indent) {
  using namespace flatbuffers;
  voffset_t at = f.value.offset;
  BaseType type = f.value.type.base_type;
  // With every default written (ForceDefaults), an absent field is an
  // optional scalar without a value, a string or table that is not set.
  if (!t.CheckField(at)) {
    os << "null";
    return llvm::Error::success();
  }
  if (IsScalar(type)) {
    scalar(f, t);
    return llvm::Error::success();
  }
  if (type == BASE_TYPE_STRING) {
    const String *s = t.GetPointer<const String *>(at);
    os << jsonString(llvm::StringRef(s->c_str(), s->size()));
    return llvm::Error::success();
  }
  if (type == BASE_TYPE_STRUCT && !f.value.type.struct_def->fixed)
    return table(*f.value.type.struct_def, *t.GetPointer<const Table *>(at),
                 indent);
  return error("spec field '" + f.name +
               "' has a type that nfc spec cannot print yet (vector, union "
               "or struct)");
}

llvm::Error JsonPrinter::table(const flatbuffers::StructDef &def,
                               const flatbuffers::Table &t, unsigned indent) {
  os << "{";
  bool first = true;
  for (const flatbuffers::FieldDef *f : def.fields.vec) {
    if (f->deprecated)
      continue;
    os << (first ? "\n" : ",\n");
    first = false;
    os.indent(indent + 2) << jsonString(f->name) << ": ";
    if (llvm::Error e = field(*f, t, indent + 2))
      return e;
  }
  os << "\n";
  os.indent(indent) << "}";
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::string> normfuse::specToJson(const nf::spec::SpecT &spec) {
  flatbuffers::Parser parser;
  if (!parser.Parse(modelSpecSchema().str().c_str()) ||
      !parser.root_struct_def_)
    return error("the embedded ModelSpec.fbs does not parse: " + parser.error_);
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  fbb.Finish(nf::spec::Spec::Pack(fbb, &spec));
  const flatbuffers::Table *root =
      flatbuffers::GetRoot<flatbuffers::Table>(fbb.GetBufferPointer());
  std::string text;
  llvm::raw_string_ostream os(text);
  if (llvm::Error e = JsonPrinter(os).table(*parser.root_struct_def_, *root,
                                            /*indent=*/0))
    return std::move(e);
  os << "\n";
  return text;
}
