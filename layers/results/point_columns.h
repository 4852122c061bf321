// A point result table held column by column (e.g. a clustering's <output>_punten): what the
// result writer writes straight into a GeoPackage store, with no layers::Record per point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "geo/core/text_column.h"
#include "geo/core/types.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// Text values of a column packed into one buffer (a key such as "123456" costs its characters
/// and one offset instead of a 32-byte std::string).
using geo::TextColumn;

/// One column of a PointColumns table, one value per row, in the smallest type that holds it:
/// monostate = NULL in every row; int32 / uint8 are written as INTEGER values, double as REAL.
using ResultColumn = std::variant<std::monostate, std::vector<std::int32_t>,
                                  std::vector<std::uint8_t>, std::vector<double>, TextColumn>;

/// A point result table held column by column instead of as one layers::Record per row (a
/// Record with its value vector and OGRPoint costs about 280 bytes per point, this about 40 for
/// a clustering's points). The table's name, fields, metadata and style are the ResultLayer of
/// the same name, whose records stay empty.
struct PointColumns {
  std::string layer;                  ///< the name of its ResultLayer
  std::vector<geo::Point> points;     ///< the geometry per row (EPSG:28992)
  std::vector<ResultColumn> columns;  ///< parallel to the ResultLayer's fields

  std::size_t size() const { return points.size(); }
  /// Value of column `c` in row `i`, as a Record would hold it.
  Value value(std::size_t c, std::size_t i) const;
  /// Row i's values into `values` (resized to the column count; reuses its strings).
  void row(std::size_t i, std::vector<Value>& values) const;
  /// Row i as a Record (values and an OGRPoint).
  Record record(std::size_t i) const;
};

}  // namespace veldwacht::layers
