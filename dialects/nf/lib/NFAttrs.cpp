//===- NFAttrs.cpp - nf parameter attributes
//--------------------------------===//
#include "nf/NFAttrs.h"
#include "nf/NFDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::nf;

#include "nf/NFEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "nf/NFAttrs.cpp.inc"

void NFDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "nf/NFAttrs.cpp.inc"
      >();
}

// Kinds that carry a number print it in parentheses: normal(std),
// constant(value). ones and zeros print bare.
static bool initKindHasValue(InitKind kind) {
  return kind == InitKind::Normal || kind == InitKind::Constant;
}

// #nf.init<normal(0.02)> | #nf.init<ones> | #nf.init<zeros> |
// #nf.init<constant(1.0)>
Attribute InitAttr::parse(AsmParser &parser, Type) {
  std::string keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeywordOrString(&keyword))
    return {};
  std::optional<InitKind> kind = symbolizeInitKind(keyword);
  if (!kind) {
    parser.emitError(loc, "unknown init kind '")
        << keyword << "'; expected normal, ones, zeros or constant";
    return {};
  }
  double value = 0.0;
  if (initKindHasValue(*kind)) {
    if (parser.parseLParen() || parser.parseFloat(value) ||
        parser.parseRParen())
      return {};
  } else if (*kind == InitKind::Ones) {
    value = 1.0;
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<InitAttr>(loc, parser.getContext(), *kind,
                                     llvm::APFloat(value));
}

void InitAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyInitKind(getKind());
  if (initKindHasValue(getKind())) {
    printer << "(";
    printer.printFloat(getValue());
    printer << ")";
  }
  printer << ">";
}

/// Formats a number as a user wrote it (0.02, 1), not as %e.
static std::string fmtNum(double v) {
  return llvm::formatv("{0}", llvm::format("%g", v)).str();
}

LogicalResult InitAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               InitKind kind, llvm::APFloat apValue) {
  if (&apValue.getSemantics() != &llvm::APFloat::IEEEdouble())
    return emitError() << "init value must be an f64";
  double value = apValue.convertToDouble();
  if (kind == InitKind::Normal && !(value > 0.0))
    return emitError() << "normal init needs a positive std, got "
                       << fmtNum(value);
  if (kind == InitKind::Ones && value != 1.0)
    return emitError() << "ones init carries the value 1, got "
                       << fmtNum(value);
  if (kind == InitKind::Zeros && value != 0.0)
    return emitError() << "zeros init carries the value 0, got "
                       << fmtNum(value);
  if (!std::isfinite(value))
    return emitError() << "init value must be finite, got " << fmtNum(value);
  return success();
}
