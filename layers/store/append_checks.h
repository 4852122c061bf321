// The read-only checks of Store::append, the same for every backend: each record against its
// layer, unique keys within the call and against the store, references to rows in the call or in
// the store. A backend says how it spells a key (an SQL literal for SQLite, text for PostgreSQL)
// and answers which keys it already holds.
#pragma once

#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "layers/schema/schema.h"
#include "layers/schema/validate.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct KeyLookup {
  /// A non-NULL value as the backend compares keys.
  std::function<std::string(const Value&)> spell;
  /// Which of `keys` (spelled as above) `table`.`field` holds.
  std::function<std::set<std::string>(const std::string& table, const FieldDef& field,
                                      const std::vector<std::string>& keys)>
      existing;
};

/// Runs the checks over `batches` (progress 0–0.2) and returns each batch's layer definition
/// (nullptr for an unknown layer; pointers into `storeDefs`); every problem found is appended to
/// `problems`.
std::vector<const LayerDef*> checkBatches(std::span<const ImportBatch> batches,
                                          const std::vector<LayerDef>& storeDefs,
                                          const KeyLookup& keys, std::vector<Problem>& problems,
                                          geo::Progress& progress);

/// Refuses a call in which no batch has rows, naming each file (the user meant to import rows).
void refuseIfNoRows(std::span<const ImportBatch> batches);

}  // namespace veldwacht::layers
