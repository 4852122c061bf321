// Small rules every store's result writer shares (layers/results, layers/pgstore).
#pragma once

#include <string>

#include "layers/results/results.h"

namespace veldwacht::layers {

/// Whether `name` may name a result table or field: lower-case letters, digits and _, starting
/// with a letter, at most 63 characters (each store refuses its own reserved names besides).
bool isResultName(const std::string& name);

/// `m` with `startedAt` (now) and `veldwachtVersion` (this build's) filled in where empty.
ResultMetadata completedMetadata(ResultMetadata m);

}  // namespace veldwacht::layers
