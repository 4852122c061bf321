#pragma once

namespace veldwacht::layers {
/// The Veldwacht release, e.g. "0.1.0" (from the CMake project version).
const char* version();
}  // namespace veldwacht::layers
