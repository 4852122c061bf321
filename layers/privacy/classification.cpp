#include "layers/privacy/classification.h"

#include <array>
#include <string_view>

#include "geo/core/error.h"
#include "layers/privacy/audit.h"
#include "layers/privacy/sql_util.h"
#include "layers/store/ogr_values.h"

namespace veldwacht::layers {

const char* sensitivityName(Sensitivity s) {
  return s == Sensitivity::Public ? "openbaar" : "vertrouwelijk";
}

namespace {

constexpr std::array<std::string_view, 5> kOpenContext{"gemeenten", "wijken", "buurten",
                                                       "bedrijventerreinen", "wegvakken"};

std::string defaultReason(const std::string& layer) {
  for (auto l : kOpenContext)
    if (layer == l) return "open contextgegevens (CBS/PDOK)";
  if (layer == "signalen" || layer == "incidenten") return "ruwe meldingen (standaard)";
  if (layer == "verblijfsobjecten" || layer == "panden") return "adressen (standaard)";
  return "standaard vertrouwelijk";
}

LayerDef classificationDef() {
  LayerDef d;
  d.name = kClassificationTable;
  d.title = "Veldwacht-classificatie";
  d.geometry = GeometryKind::None;
  d.help = "Per laag: vertrouwelijk of openbaar, waarom, door wie en wanneer";
  auto field = [](std::string name, bool required) {
    FieldDef f;
    f.name = std::move(name);
    f.type = FieldType::Text;
    f.required = required;
    return f;
  };
  d.fields = {field("laag", true), field("klasse", true), field("reden", false),
              field("gezet_door", false), field("gezet_op", false)};
  d.fields[0].unique = true;
  return d;
}

}  // namespace

Sensitivity defaultSensitivity(const std::string& layer) {
  for (auto l : kOpenContext)
    if (layer == l) return Sensitivity::Public;
  return Sensitivity::Confidential;
}

LayerClassification classification(Store& store, const std::string& layer) {
  LayerClassification c{layer, defaultSensitivity(layer), defaultReason(layer), "", "", true};
  if (!store.hasTable(kClassificationTable)) return c;
  const auto rows = store.query(
      "SELECT klasse, reden, gezet_door, gezet_op FROM veldwacht_classificatie WHERE laag = " +
      sqlQuote(layer));
  if (rows.empty()) return c;
  const auto& r = rows.front();
  c.sensitivity = r[0].value_or("") == "openbaar" ? Sensitivity::Public : Sensitivity::Confidential;
  c.reason = r[1].value_or("");
  c.setBy = r[2].value_or("");
  c.setAt = r[3].value_or("");
  c.isDefault = false;
  return c;
}

std::vector<LayerClassification> classifications(Store& store) {
  std::vector<LayerClassification> out;
  for (const auto& l : store.summary()) out.push_back(classification(store, l.name));
  return out;
}

void setClassification(Store& store, const std::string& layer, Sensitivity sensitivity,
                       const std::string& reason) {
  if (!store.updatable())
    throw geo::Error("cannot classify '" + layer + "': the store is open read-only");
  if (!store.hasTable(kClassificationTable)) {
    // A PostGIS store has the table from its creation (or from its owner's first opening for
    // writing, layers/pgstore/pg_audit.h); the GeoPackage store gets it here.
    if (store.meta("backend") == "postgis")
      throw geo::Error("cannot classify '" + layer + "': the store " + store.path() + " has no " +
                       kClassificationTable +
                       " yet; let the store's owner open it for writing once");
    store.transaction([](GDALDataset& ds) { createOgrLayer(ds, classificationDef()); });
    // A closed value list, enforced in the database (GDAL cannot add CHECK clauses).
    for (const char* event : {"INSERT", "UPDATE"})
      store.executeSql(std::string("CREATE TRIGGER IF NOT EXISTS veldwacht_classificatie_klasse_") +
                       event + " BEFORE " + event +
                       " ON veldwacht_classificatie WHEN NEW.klasse NOT IN ('openbaar', "
                       "'vertrouwelijk') BEGIN SELECT RAISE(ABORT, 'klasse must be openbaar or "
                       "vertrouwelijk'); END");
  }
  store.executeSql("DELETE FROM veldwacht_classificatie WHERE laag = " + sqlQuote(layer));
  store.executeSql(
      "INSERT INTO veldwacht_classificatie (laag, klasse, reden, gezet_door, gezet_op) VALUES (" +
      sqlQuote(layer) + ", " + sqlQuote(sensitivityName(sensitivity)) + ", " + sqlQuote(reason) +
      ", " + sqlQuote(currentOsUser()) + ", " + sqlQuote(localTimeIso()) + ")");
}

}  // namespace veldwacht::layers
