// Small rules every store's result writer shares (layers/results, layers/pgstore).
#pragma once

#include <string>

#include "layers/results/results.h"

namespace veldwacht::layers {

/// Refuses (geo::InputError naming the layer and field) a result whose table name or field
/// names no store can take, or whose algorithm is not named. Each store refuses its own
/// reserved names and foreign tables besides.
void checkResultNames(const ResultLayer& result);

/// `m` with `startedAt` (now) and `veldwachtVersion` (this build's) filled in where empty.
ResultMetadata completedMetadata(ResultMetadata m);

}  // namespace veldwacht::layers
