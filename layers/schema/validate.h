// Checks of single records against their LayerDef, shared by the store (which adds the checks
// across rows: unique keys, references) and the importers (which can report early).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "geo/core/error.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// One thing wrong with one value: where (file, row, field) and what was expected.
struct Problem {
  veldwacht::geo::Location where;
  std::string message;
  std::string str() const;
};

/// Bad input with every problem found, not only the first. what() starts with the first
/// problem (its location, then its message), then lists them all (at most 50 lines, then
/// "... and N more"); where() is the location of the first.
class ValidationError : public veldwacht::geo::InputError {
 public:
  explicit ValidationError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<Problem> problems_;
};

/// Bounds of plausible EPSG:28992 coordinates (the Netherlands with a wide margin); a
/// geometry outside them was almost certainly not transformed (e.g. lon/lat degrees).
inline constexpr double kRdMinX = -100000, kRdMaxX = 400000;
inline constexpr double kRdMinY = 200000, kRdMaxY = 750000;

/// Appends to `out` what is wrong with `record` for `layer`: too many values, value types,
/// NOT NULL (a NULL with a default is fine), allowed values (each item of a comma list), text
/// widths (in characters), date formats, geometry presence, kind and RD bounds, and
/// waargenomen_tot before waargenomen_van. Returns true when nothing was found.
bool validateRecord(const LayerDef& layer, const Record& record, const std::string& sourceFile,
                    std::vector<Problem>& out);

/// `YYYY-MM-DD` with a real calendar date.
bool isIsoDate(std::string_view text);
/// `YYYY-MM-DDTHH:MM:SS` with a real calendar date and time.
bool isIsoDateTime(std::string_view text);

/// Items of a comma-joined list, trimmed; empty items are dropped.
std::vector<std::string> splitCommaList(std::string_view text);

/// A value for messages: text quoted, NULL as NULL.
std::string describeValue(const Value& v);

}  // namespace veldwacht::layers
