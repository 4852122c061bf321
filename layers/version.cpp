#include "layers/version.h"

namespace veldwacht::layers {
const char* version() { return VELDWACHT_VERSION; }
}  // namespace veldwacht::layers
