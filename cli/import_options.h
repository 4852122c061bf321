// Flags shared by `import` and `validate`, mapped onto layers::ImportOptions.
#pragma once

#include <CLI/CLI.hpp>

#include "layers/importers/importer.h"

namespace veldwacht::cli {

inline void addImportOptionFlags(CLI::App* cmd, layers::ImportOptions& o) {
  cmd->add_option("-l,--layer", o.layer,
                  "Target layer (signalen, panden, vab, ...); default: recognised from the fields");
  cmd->add_option("--map", o.mapping,
                  "Field mapping 'source=target,...' for files with other field names");
  cmd->add_option("--mapping", o.mappingFile,
                  "Field mapping as a JSON file {\"layer\":..,\"fields\":{..},\"crs\":..}")
      ->check(CLI::ExistingFile);
  cmd->add_option("--crs", o.sourceCrs,
                  "CRS of the source when the file lacks or misstates it, e.g. EPSG:4326");
  cmd->add_option("--source-layer", o.sourceLayer, "Only this layer of a multi-layer source");
  cmd->add_flag("--make-valid", o.makeValid,
                "Repair invalid polygons with GEOS MakeValid (reported) instead of refusing them");
  cmd->add_option_function<char>(
      "--delimiter", [&o](const char& c) { o.csvDelimiter = c; },
      "CSV separator; default: sniffed (';' or ',')");
}

}  // namespace veldwacht::cli
