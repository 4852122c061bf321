// The analyses `veldwacht demo` runs on the sample store (grows with every capability).
#pragma once

#include "cli/commands.h"
#include "layers/store/store.h"

namespace veldwacht::cli {

void runDemoAnalyses(layers::Store& store, Session& session);

}  // namespace veldwacht::cli
