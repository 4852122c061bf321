#include "layers/pgstore/pg_results.h"

#include <algorithm>
#include <filesystem>

#include "geo/core/error.h"
#include "layers/pgstore/ddl.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_values.h"
#include "layers/results/result_names.h"
#include "layers/schema/validate.h"
#include "layers/store/store_internal.h"
#include "layers/store/styles.h"
#include "layers/version.h"

namespace veldwacht::layers::pgstore {

namespace fs = std::filesystem;
using pg::ident;
using pg::literal;

namespace {

/// Names of the store's own tables and PostGIS's: never a result.
bool isReservedName(const std::string& name) {
  for (const auto& d : layerDefs())
    if (d.name == name) return true;
  return name == kMetaTable || name == kImportsTable || name == kResultsTable ||
         name == kStylesTableName || name == kSchemaHistoryTable || name == "spatial_ref_sys" ||
         name == "geometry_columns" || name == "geography_columns" || name.starts_with("pg_") ||
         name.starts_with("veldwacht_");
}

bool isRegistered(pg::Connection& c, const std::string& name) {
  return !c.query("SELECT 1 FROM " + ident(kResultsTable) + " WHERE laag = $1", {name}).empty();
}

/// "Point", "Line", "Polygon": QGIS's geometry type names in layer_styles.type.
const char* qgisGeometryType(GeometryKind k) {
  switch (k) {
    case GeometryKind::Point:
      return "Point";
    case GeometryKind::LineString:
      return "Line";
    case GeometryKind::MultiPolygon:
      return "Polygon";
    case GeometryKind::None:
      break;
  }
  return "NoGeometry";
}

bool layerStylesExists(pg::Connection& c) {
  return bool(c.query("SELECT to_regclass('public.layer_styles')").at(0).at(0));
}

/// A result checked and ready to write.
struct Prepared {
  LayerDef def;
  ResultMetadata meta;
  std::string qml;
  ResultLayer result;
};

Prepared prepare(pg::Connection& c, ResultLayer&& result, geo::Progress& progress) {
  const std::string name = result.name;
  checkResultNames(result);
  if (isReservedName(name))
    throw geo::InputError({name, std::nullopt, ""},
                          "'" + name + "' is a table of the store itself, not a result");
  if (pg::tableExists(c, name) && !isRegistered(c, name))
    throw geo::InputError(
        {name, std::nullopt, ""},
        "a table '" + name + "' exists and is not a Veldwacht result; refusing to replace it");
  Prepared p;
  p.def.name = name;
  p.def.title = result.title.empty() ? name : result.title;
  p.def.group = "Resultaten";
  p.def.geometry = result.geometry;
  p.def.fields = result.fields;
  for (auto& f : p.def.fields) f.reference.clear();  // a result refers to nothing by FK
  p.meta = completedMetadata(result.metadata);
  p.def.help = p.meta.describe();
  {
    std::vector<Problem> problems;
    geo::ProgressStep step(progress, 0.0, 1.0, "checking result");
    for (std::size_t i = 0; i < result.records.size(); ++i) {
      validateRecord(p.def, result.records[i], name, problems);
      step.tick(i + 1, result.records.size());
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
  }
  if (!result.style.empty()) {
    const std::string dir = stylesDirectory(result.stylesDir);
    if (!dir.empty())
      p.qml = readStyleFile((fs::path(dir) / "results" / (result.style + ".qml")).string())
                  .value_or("");
  }
  p.result = std::move(result);
  return p;
}

void addRegistryRow(pg::Connection& c, const std::string& layer, const ResultMetadata& m,
                    const std::string& file, const std::string& style) {
  auto orNull = [](const std::string& s) -> std::optional<std::string> {
    if (s.empty()) return std::nullopt;
    return s;
  };
  c.query("INSERT INTO " + ident(kResultsTable) +
              " (laag, algoritme, parameters_json, invoer_laag, invoer_rijen, seed, gestart_op, "
              "duur_s, veldwacht_versie, bestand, geschreven_op, stijl) VALUES ($1, $2, $3, $4, "
              "$5, $6, $7, $8, $9, $10, $11, $12)",
          {layer, m.algorithm, m.parametersJson, m.inputLayer, std::to_string(m.inputRows),
           m.seed ? std::optional<std::string>(std::to_string(*m.seed)) : std::nullopt, m.startedAt,
           realText(m.durationSeconds), m.veldwachtVersion, orNull(file), localNowIso(),
           orNull(style)});
}

/// Drops table `name` when present, its styles and its registry rows (caller's transaction).
void removeResultIn(pg::Connection& c, const std::string& name) {
  // Styles first: under row-level security on layer_styles a login sees (and removes) only
  // the styles of tables that exist and it may change.
  removeStyles(c, name);
  c.exec("DROP TABLE IF EXISTS " + ident(name));
  c.query("DELETE FROM " + ident(kResultsTable) + " WHERE laag = $1", {name});
}

/// Serialises writers of the same result name until the transaction ends.
void lockName(pg::Connection& c, const std::string& name) {
  c.query("SELECT pg_advisory_xact_lock(hashtext($1))", {"veldwacht_resultaat:" + name});
}

void writeIn(pg::Connection& c, const Prepared& p, geo::Progress& progress) {
  const LayerDef& def = p.def;
  removeResultIn(c, def.name);
  for (const auto& sql : createLayerSql(def)) c.exec(sql);
  std::string columns;
  for (const auto& f : def.fields) columns += (columns.empty() ? "" : ", ") + ident(f.name);
  if (def.geometry != GeometryKind::None)
    columns += (columns.empty() ? "" : ", ") + ident(kGeometryColumn);
  const auto& records = p.result.records;
  if (!records.empty() && !columns.empty()) {
    geo::ProgressStep step(progress, 0.0, 0.9, "writing result");
    std::string data;
    for (std::size_t r = 0; r < records.size(); ++r) {
      const Record& rec = records[r];
      bool first = true;
      for (std::size_t i = 0; i < def.fields.size(); ++i) {
        if (!first) data += '\t';
        first = false;
        const auto text = i < rec.values.size() ? valueText(rec.values[i]) : std::nullopt;
        if (text)
          pg::appendCopyText(data, *text);
        else
          data += "\\N";
      }
      if (def.geometry != GeometryKind::None) {
        if (!first) data += '\t';
        data += rec.geometry ? ewkbHex(*rec.geometry, def.geometry) : std::string("\\N");
      }
      data += '\n';
      step.tick(r + 1, records.size());
    }
    c.copyIn("COPY " + ident(def.name) + " (" + columns + ") FROM STDIN", data);
  } else if (!records.empty()) {
    // A table without fields or geometry: rows of only a fid.
    c.exec("INSERT INTO " + ident(def.name) + " SELECT FROM generate_series(1, " +
           std::to_string(records.size()) + ")");
  }
  addRegistryRow(c, def.name, p.meta, "", p.result.style);
  if (!p.qml.empty())
    embedDefaultStyle(c, def.name, def.geometry, p.result.style, p.qml,
                      "Veldwacht-stijl " + p.result.style);
  progress.setFraction(1.0);
}

}  // namespace

std::string createLayerStylesSql() {
  return "CREATE TABLE IF NOT EXISTS public.layer_styles (id serial PRIMARY KEY, f_table_catalog "
         "varchar, f_table_schema varchar, f_table_name varchar, f_geometry_column varchar, "
         "stylename text, styleqml xml, stylesld xml, useasdefault boolean, description text, "
         "owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT "
         "CURRENT_TIMESTAMP, type varchar)";
}

void embedDefaultStyle(pg::Connection& c, const std::string& table, GeometryKind geometry,
                       const std::string& styleName, const std::string& qml,
                       const std::string& description) {
  // Two writers creating the table at once would collide (CREATE TABLE IF NOT EXISTS is not
  // safe across open transactions): the second waits for the first to commit.
  c.exec("SELECT pg_advisory_xact_lock(hashtext('veldwacht_layer_styles'))");
  if (!layerStylesExists(c)) c.exec(createLayerStylesSql());
  const std::string where =
      " WHERE f_table_catalog = current_database() AND f_table_schema = current_schema() AND "
      "f_table_name = $1";
  c.query("UPDATE public.layer_styles SET useasdefault = false" + where, {table});
  c.query("DELETE FROM public.layer_styles" + where + " AND stylename = $2", {table, styleName});
  const bool hasGeometry = geometry != GeometryKind::None;
  c.query(
      "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, "
      "f_geometry_column, stylename, styleqml, useasdefault, description, type) VALUES "
      "(current_database(), current_schema(), $1, $2, $3, XMLPARSE(DOCUMENT $4), true, $5, $6)",
      {table, hasGeometry ? std::optional<std::string>(kGeometryColumn) : std::nullopt, styleName,
       qml, description,
       hasGeometry ? std::optional<std::string>(qgisGeometryType(geometry)) : std::nullopt});
}

std::optional<std::string> defaultStyle(pg::Connection& c, const std::string& table) {
  if (!layerStylesExists(c)) return std::nullopt;
  // QGIS's own query (QgsPostgresProviderMetadata::loadStyle): the catalog, schema, table and
  // geometry column of the layer, the default style first, the newest first.
  const auto rows = c.query(
      "SELECT styleqml::text FROM public.layer_styles WHERE f_table_catalog = current_database() "
      "AND f_table_schema = current_schema() AND f_table_name = $1 ORDER BY CASE WHEN "
      "useasdefault THEN 1 ELSE 2 END, update_time DESC LIMIT 1",
      {table});
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  return rows[0][0];
}

void removeStyles(pg::Connection& c, const std::string& table) {
  if (!layerStylesExists(c)) return;
  c.query(
      "DELETE FROM public.layer_styles WHERE f_table_catalog = current_database() AND "
      "f_table_schema = current_schema() AND f_table_name = $1",
      {table});
}

void PgResultWriter::writeResultSet(std::vector<ResultLayer>&& results,
                                    std::vector<ResultFile>&& files, geo::Progress& progress) {
  if (!store_.updatable()) throw geo::Error("the store " + store_.path() + " was opened read-only");
  pg::Connection& c = store_.connection();
  struct FileRow {
    std::string layer, file;
    ResultMetadata meta;
    std::string style;
  };
  std::vector<FileRow> fileRows;
  for (const auto& f : files) {
    if (f.metadata.algorithm.empty())
      throw geo::InputError({f.path, std::nullopt, ""}, "the result's algorithm must be named");
    const fs::path abs = fs::absolute(f.path);
    for (const auto& r : results)
      if (abs.filename().string() == r.name)
        throw geo::InputError({r.name, std::nullopt, ""},
                              "the same result name for a layer and a file in one run");
    // No folder of the store to be relative to: the absolute path.
    fileRows.push_back(
        {abs.filename().string(), abs.string(), completedMetadata(f.metadata), f.style});
  }
  for (std::size_t i = 0; i < results.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (results[i].name == results[j].name)
        throw geo::InputError({results[i].name, std::nullopt, ""},
                              "the same result layer name twice in one run");
  const double n = double(std::max<std::size_t>(results.size(), 1));
  std::vector<Prepared> prepared;
  geo::SubProgress checking(progress, 0.0, 0.1);
  for (std::size_t i = 0; i < results.size(); ++i) {
    geo::SubProgress sub(checking, double(i) / n, double(i + 1) / n);
    prepared.push_back(prepare(c, std::move(results[i]), sub));
  }
  std::vector<std::string> names;
  for (const auto& p : prepared) names.push_back(p.def.name);
  for (const auto& f : fileRows) names.push_back(f.layer);
  std::sort(names.begin(), names.end());  // one order for every writer: no deadlock
  geo::SubProgress writing(progress, 0.1, 1.0);
  try {
    pg::Transaction t(c);
    for (const auto& name : names) lockName(c, name);
    for (std::size_t i = 0; i < prepared.size(); ++i) {
      geo::SubProgress sub(writing, double(i) / n, double(i + 1) / n);
      writeIn(c, prepared[i], sub);
    }
    for (const auto& row : fileRows) {
      c.query("DELETE FROM " + ident(kResultsTable) + " WHERE laag = $1", {row.layer});
      addRegistryRow(c, row.layer, row.meta, row.file, row.style);
    }
    // Last, just before COMMIT: the files into place (a failure rolls the tables back). The
    // GeoPackage store's post-COMMIT journal of moves (veldwacht_meta) is not kept here: a kill
    // between these moves and the COMMIT can leave a new file under the old row.
    for (const auto& f : files) {
      if (f.outputs.empty()) {
        if (f.moveIntoPlace) f.moveIntoPlace();
      } else {
        for (const auto& o : f.outputs) o->commit();
      }
    }
    t.commit();
  } catch (const pg::PgError& e) {
    if (e.permissionDenied())
      throw geo::Error("role '" + c.user() + "' may not write results in this store (" + e.what() +
                       "); nothing was written");
    if (e.sqlState() == "40001" || e.sqlState() == "40P01")
      throw geo::Error("another user changed the store at the same time (" + std::string(e.what()) +
                       "); nothing was written; run the analysis again");
    if (e.sqlState() == "2BP01")
      throw geo::Error("a result cannot be replaced while other objects depend on it (" +
                       std::string(e.what()) + "); nothing was written");
    throw StorageError("the store could not be written: " + std::string(e.what()) +
                       "; nothing was changed");
  }
  progress.setFraction(1.0);
}

void PgResultWriter::deleteResult(const std::string& name) {
  if (!store_.updatable()) throw geo::Error("the store " + store_.path() + " was opened read-only");
  pg::Connection& c = store_.connection();
  if (!isRegistered(c, name)) throw geo::Error("no result '" + name + "' in the store");
  if (isReservedName(name)) throw geo::Error("'" + name + "' is a table of the store itself");
  pg::Transaction t(c);
  lockName(c, name);
  removeResultIn(c, name);
  t.commit();
}

std::string PgResultWriter::resultFilePath(const std::string& directory, const std::string& name) {
  if (directory.empty())
    throw geo::OptionError("directory",
                           "a PostGIS store has no folder of its own for the result file '" + name +
                               "': give an output folder (--output-dir DIR)");
  const std::string db =
      store_.connection().query("SELECT current_database()").at(0).at(0).value_or("store");
  return (fs::path(directory) / (db + "_" + name + ".tif")).string();
}

}  // namespace veldwacht::layers::pgstore
