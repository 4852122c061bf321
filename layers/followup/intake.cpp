#include "layers/followup/intake.h"

#include <ogr_geometry.h>

#include <cmath>
#include <map>

#include "geo/core/gdal.h"
#include "layers/importers/signal_export.h"
#include "layers/privacy/sql_util.h"
#include "layers/schema/validate.h"
#include "layers/store/checksum.h"

namespace veldwacht::layers {

namespace {

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

Value textOrNull(const std::string& s) {
  std::string t = trimmed(s);
  if (t.empty()) return {};
  return Value{std::move(t)};
}

std::map<std::string, std::string> categoryMap(Store& store) {
  std::map<std::string, std::string> out;
  for (const auto& [code, naam] : signalCategories(store)) out[code] = naam;
  return out;
}

const char* const kTranslatedFields[] = {"categorie", "brontype", "betrouwbaarheid"};

}  // namespace

std::vector<std::pair<std::string, std::string>> signalCategories(Store& store) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& row :
       store.query("SELECT code, naam FROM signaal_categorieen WHERE code IS NOT NULL "
                   "ORDER BY code"))
    out.emplace_back(row[0].value_or(""), row[1].value_or(""));
  return out;
}

Record intakeRecord(Store& store, const IntakeEntry& entry, std::vector<std::string>* translated) {
  const LayerDef& def = layerDef("signalen");
  const SignalVocabulary vocabulary(categoryMap(store));
  Record record;
  record.values.resize(def.fields.size());
  record.sourceRow = 1;
  const auto set = [&](const char* field, Value v) {
    const int i = def.fieldIndex(field);
    if (i < 0) throw geo::LibraryError(std::string("signalen has no field ") + field);
    record.values[static_cast<std::size_t>(i)] = std::move(v);
  };

  // The words, as the signals-export importer reads them; a word it does not know is kept as
  // entered, so that the store refuses it with its own message.
  std::map<std::string, std::string> words = {{"categorie", entry.categorie},
                                              {"brontype", entry.brontype},
                                              {"betrouwbaarheid", entry.betrouwbaarheid}};
  for (const char* field : kTranslatedFields) {
    std::string& w = words[field];
    w = trimmed(w);
    if (w.empty()) continue;
    if (const auto m = vocabulary.match(field, w); m && m->value != w) {
      if (translated)
        translated->push_back(std::string(field) + ": '" + w + "' -> '" + m->value + "'");
      w = m->value;
    }
  }
  set("categorie", textOrNull(words["categorie"]));
  set("brontype", textOrNull(words["brontype"]));
  set("betrouwbaarheid", textOrNull(words["betrouwbaarheid"]));
  set("waargenomen_van", textOrNull(entry.waargenomenVan));
  const std::string gemeld = trimmed(entry.gemeldOp).empty() ? localTimeIso() : entry.gemeldOp;
  set("gemeld_op", textOrNull(gemeld));
  if (entry.locatiePrecisieM != 0) set("locatie_precisie_m", Value{entry.locatiePrecisieM});
  set("status", Value{std::string("nieuw")});
  set("omschrijving", textOrNull(entry.omschrijving));
  set("synthetisch", Value{std::int64_t{0}});
  if (!std::isnan(entry.x) || !std::isnan(entry.y))
    record.geometry = geo::GeometryPtr(new OGRPoint(entry.x, entry.y));

  // signaal_id as a signals export without an id column gets it: over the entered values.
  std::vector<Value> source = {
      record.values[static_cast<std::size_t>(def.fieldIndex("categorie"))],
      record.values[static_cast<std::size_t>(def.fieldIndex("brontype"))],
      record.values[static_cast<std::size_t>(def.fieldIndex("betrouwbaarheid"))],
      record.values[static_cast<std::size_t>(def.fieldIndex("waargenomen_van"))],
      Value{gemeld},
      Value{entry.x},
      Value{entry.y},
      textOrNull(entry.omschrijving)};
  set("signaal_id", Value{generatedSignalId(source)});
  return record;
}

IntakeResult enterSignal(Store& store, const IntakeEntry& entry) {
  IntakeResult result;
  ImportBatch batch;
  batch.layer = "signalen";
  batch.records.push_back(intakeRecord(store, entry, &result.translated));
  const LayerDef& def = layerDef("signalen");
  result.signaalId = std::get<std::string>(
      batch.records.front().values[static_cast<std::size_t>(def.fieldIndex("signaal_id"))]);
  batch.sourceFile = kIntakeSource;
  batch.sourceSha256 = sha256Hex(result.signaalId);
  batch.sourceCrs = entry.sourceCrs.empty() ? "EPSG:28992" : entry.sourceCrs;
  batch.transformation = entry.transformation;
  batch.warnings = result.translated;

  try {
    store.append(std::span<const ImportBatch>(&batch, 1));
  } catch (const ValidationError& e) {
    // The store's problems, each with the closest allowed word where the vocabulary has one.
    const SignalVocabulary vocabulary(categoryMap(store));
    std::vector<Problem> problems = e.problems();
    bool added = false;
    for (Problem& p : problems) {
      for (const char* field : kTranslatedFields) {
        if (p.where.field != field) continue;
        const Value& v =
            batch.records.front().values[static_cast<std::size_t>(def.fieldIndex(field))];
        if (const auto* s = std::get_if<std::string>(&v)) {
          if (const std::string hint = vocabulary.suggest(field, *s); !hint.empty()) {
            p.message += "; did you mean " + hint + "?";
            added = true;
          }
        }
      }
    }
    if (added) throw ValidationError(std::move(problems));
    throw;
  }

  const auto rows =
      store.query("SELECT CAST(import_id AS INTEGER) FROM signalen WHERE signaal_id = " +
                  sqlQuote(result.signaalId));
  if (!rows.empty() && rows.front()[0]) result.importId = std::stoll(*rows.front()[0]);
  return result;
}

}  // namespace veldwacht::layers
