#include "layers/results/point_columns.h"

#include <type_traits>

#include "geo/core/gdal.h"

namespace veldwacht::layers {

Value PointColumns::value(std::size_t c, std::size_t i) const {
  return std::visit(
      [i](const auto& col) -> Value {
        using T = std::decay_t<decltype(col)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return Value{};
        else if constexpr (std::is_same_v<T, std::vector<double>>)
          return Value{col[i]};
        else if constexpr (std::is_same_v<T, TextColumn>)
          return Value{std::string(col[i])};
        else
          return Value{std::int64_t{col[i]}};
      },
      columns[c]);
}

void PointColumns::row(std::size_t i, std::vector<Value>& values) const {
  values.resize(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c)
    std::visit(
        [&](const auto& col) {
          using T = std::decay_t<decltype(col)>;
          Value& v = values[c];
          if constexpr (std::is_same_v<T, std::monostate>) {
            v = std::monostate{};
          } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            v = col[i];
          } else if constexpr (std::is_same_v<T, TextColumn>) {
            if (auto* s = std::get_if<std::string>(&v))
              s->assign(col[i]);  // keeps the string's buffer
            else
              v = std::string(col[i]);
          } else {
            v = std::int64_t{col[i]};
          }
        },
        columns[c]);
}

Record PointColumns::record(std::size_t i) const {
  Record r;
  row(i, r.values);
  r.geometry = geo::GeometryPtr(new OGRPoint(points[i].x, points[i].y));
  return r;
}

}  // namespace veldwacht::layers
