// Whether a file next to the store is one this store wrote (a registered raster result): such a
// file may be replaced by the next run; any other file may not (issue 7, output files).
#pragma once

#include <filesystem>

#include "layers/store/store.h"

namespace veldwacht::layers {

/// True when `file` is registered in veldwacht_resultaten by its file name as layer and its
/// path as registerResultFile records it (relative to the store's folder when inside it).
bool isRegisteredResultFile(Store& store, const std::filesystem::path& file);

}  // namespace veldwacht::layers
