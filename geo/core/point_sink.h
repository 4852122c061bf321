// Where a host puts points as it reads them, one by one, so that no one holds them all.
#pragma once

#include "geo/core/types.h"

namespace veldwacht::geo {

/// Takes points one by one, in input order, as a host reads them (geo::PointSpill keeps them in a
/// file, the counters of geo/aggregation count them).
class PointSink {
 public:
  virtual ~PointSink() = default;
  /// `weight`: the point's weight (1 when the input has none).
  virtual void add(const Point& p, double weight = 1.0) = 0;
};

}  // namespace veldwacht::geo
