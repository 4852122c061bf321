// The catalogue of every analysis description, from every layers component (analyses, risk,
// planning): what docs/options.md, the plugin's provider and the tests walk over. It lives in its
// own component because it depends on all of them, while each family only knows layers/analyses.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "layers/analyses/description.h"

namespace veldwacht::layers::describe {

/// Every analysis, in the order of the docs (clustering, aggregation, density, hot spots,
/// emerging, risk, address list, plan, areas).
const std::vector<const AnalysisInfo*>& all();
/// One by id; throws OptionError("method") for an unknown id.
const AnalysisInfo& info(std::string_view id);
/// The analyses a CLI subcommand chooses among with --method.
std::vector<const AnalysisInfo*> forCommand(std::string_view command);

/// docs/options.md, generated.
std::string optionsMarkdown();

}  // namespace veldwacht::layers::describe
