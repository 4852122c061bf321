#include "geo/core/progress.h"

namespace veldwacht::geo {

Progress& nullProgress() {
  static NullProgress instance;
  return instance;
}

}  // namespace veldwacht::geo
