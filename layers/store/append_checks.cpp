#include "layers/store/append_checks.h"

#include <algorithm>
#include <map>

namespace veldwacht::layers {

namespace {

/// Where an append's record sits: batch and record index.
struct Occurrence {
  std::size_t batch;
  std::size_t record;
};

/// Value of field `fi` of a record (NULL when the record is short or fi < 0).
const Value& valueAt(std::span<const ImportBatch> batches, std::size_t bi, std::size_t ri, int fi) {
  static const Value kNull;
  const auto& vals = batches[bi].records[ri].values;
  return fi >= 0 && static_cast<std::size_t>(fi) < vals.size() ? vals[static_cast<std::size_t>(fi)]
                                                               : kNull;
}

geo::Location locationOf(std::span<const ImportBatch> batches, const Occurrence& o,
                         const std::string& field) {
  return geo::Location{batches[o.batch].sourceFile, batches[o.batch].records[o.record].sourceRow,
                       field};
}

std::vector<const LayerDef*> checkRecords(std::span<const ImportBatch> batches,
                                          const std::vector<LayerDef>& storeDefs,
                                          std::vector<Problem>& problems, geo::Progress& progress) {
  std::size_t total = 0;
  for (const auto& b : batches) total += b.records.size();
  std::vector<const LayerDef*> defs(batches.size(), nullptr);
  geo::ProgressStep step(progress, 0.0, 0.15, "checking records");
  std::size_t done = 0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const ImportBatch& b = batches[i];
    const auto it = std::find_if(storeDefs.begin(), storeDefs.end(),
                                 [&](const LayerDef& x) { return x.name == b.layer; });
    if (it == storeDefs.end()) {
      problems.push_back({{b.sourceFile, std::nullopt, ""},
                          "unknown layer '" + b.layer + "' (not in this store's schema)"});
      done += b.records.size();
      continue;
    }
    defs[i] = &*it;
    for (const Record& r : b.records) {
      validateRecord(*it, r, b.sourceFile, problems);
      step.tick(++done, total);
    }
  }
  return defs;
}

void checkUniqueKeys(std::span<const ImportBatch> batches, const std::vector<const LayerDef*>& defs,
                     const std::vector<LayerDef>& storeDefs, const KeyLookup& keys,
                     std::vector<Problem>& problems) {
  // layer -> field -> literal -> first occurrence
  std::map<std::string, std::map<std::string, std::map<std::string, Occurrence>>> seen;
  for (std::size_t bi = 0; bi < batches.size(); ++bi) {
    if (!defs[bi]) continue;
    const LayerDef& d = *defs[bi];
    for (std::size_t fi = 0; fi < d.fields.size(); ++fi) {
      const FieldDef& f = d.fields[fi];
      if (!f.unique) continue;
      auto& map = seen[d.name][f.name];
      for (std::size_t ri = 0; ri < batches[bi].records.size(); ++ri) {
        const Value& v = valueAt(batches, bi, ri, static_cast<int>(fi));
        if (isNull(v)) continue;
        auto [it, inserted] = map.emplace(keys.spell(v), Occurrence{bi, ri});
        if (!inserted) {
          const auto& first = it->second;
          problems.push_back(
              {locationOf(batches, {bi, ri}, f.name),
               "duplicate " + f.name + " " + describeValue(v) + ": also in " +
                   batches[first.batch].sourceFile + ", row " +
                   std::to_string(batches[first.batch].records[first.record].sourceRow)});
        }
      }
    }
  }
  for (const auto& [layer, fields] : seen) {
    const LayerDef& d =
        *std::find_if(storeDefs.begin(), storeDefs.end(),
                      [&name = layer](const LayerDef& x) { return x.name == name; });
    for (const auto& [field, map] : fields) {
      std::vector<std::string> lits;
      for (const auto& [lit, occ] : map) lits.push_back(lit);
      const auto found = keys.existing(layer, *d.field(field), lits);
      for (const auto& lit : found) {
        const Occurrence& o = map.at(lit);
        problems.push_back(
            {locationOf(batches, o, field),
             field + " " + describeValue(valueAt(batches, o.batch, o.record, d.fieldIndex(field))) +
                 " already exists in layer '" + layer + "'"});
      }
    }
  }
}

void checkReferences(std::span<const ImportBatch> batches, const std::vector<const LayerDef*>& defs,
                     const KeyLookup& keys, std::vector<Problem>& problems) {
  // To rows in this call or in the store (import_id is set by the store).
  for (std::size_t bi = 0; bi < batches.size(); ++bi) {
    if (!defs[bi]) continue;
    const LayerDef& d = *defs[bi];
    for (std::size_t fi = 0; fi < d.fields.size(); ++fi) {
      const FieldDef& f = d.fields[fi];
      if (f.reference.empty()) continue;
      const std::string parent = f.reference.substr(0, f.reference.find('.'));
      const std::string key = f.reference.substr(f.reference.find('.') + 1);
      if (parent == kImportsTable) continue;
      std::map<std::string, std::vector<std::size_t>> wanted;  // literal -> records
      for (std::size_t ri = 0; ri < batches[bi].records.size(); ++ri) {
        const Value& v = valueAt(batches, bi, ri, static_cast<int>(fi));
        if (!isNull(v)) wanted[keys.spell(v)].push_back(ri);
      }
      if (wanted.empty()) continue;
      std::set<std::string> available;
      for (std::size_t bj = 0; bj < batches.size(); ++bj) {
        if (!defs[bj] || defs[bj]->name != parent) continue;
        const int ki = defs[bj]->fieldIndex(key);
        for (std::size_t rj = 0; rj < batches[bj].records.size(); ++rj) {
          const Value& v = valueAt(batches, bj, rj, ki);
          if (!isNull(v)) available.insert(keys.spell(v));
        }
      }
      std::vector<std::string> lits;
      for (const auto& [lit, rows] : wanted)
        if (!available.count(lit)) lits.push_back(lit);
      const auto found = keys.existing(parent, *layerDef(parent).field(key), lits);
      for (const auto& lit : lits) {
        if (found.count(lit)) continue;
        for (std::size_t ri : wanted[lit])
          problems.push_back({locationOf(batches, {bi, ri}, f.name),
                              describeValue(valueAt(batches, bi, ri, static_cast<int>(fi))) +
                                  " not found in " + f.reference +
                                  " (neither in the store nor in this import)"});
      }
    }
  }
}

}  // namespace

std::vector<const LayerDef*> checkBatches(std::span<const ImportBatch> batches,
                                          const std::vector<LayerDef>& storeDefs,
                                          const KeyLookup& keys, std::vector<Problem>& problems,
                                          geo::Progress& progress) {
  const auto defs = checkRecords(batches, storeDefs, problems, progress);
  geo::ProgressStep step(progress, 0.15, 0.2, "checking keys and references");
  checkUniqueKeys(batches, defs, storeDefs, keys, problems);
  checkReferences(batches, defs, keys, problems);
  step.done();
  return defs;
}

void refuseIfNoRows(std::span<const ImportBatch> batches) {
  if (!std::all_of(batches.begin(), batches.end(),
                   [](const ImportBatch& b) { return b.records.empty(); }))
    return;
  std::vector<Problem> empty;
  for (const auto& b : batches)
    empty.push_back(
        {{b.sourceFile, std::nullopt, ""}, "no rows to import (only a header, or no features)"});
  throw ValidationError(std::move(empty));
}

}  // namespace veldwacht::layers
