#include "layers/results/results.h"

#include "layers/results/result_names.h"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <span>

#include "geo/core/error.h"
#include "geo/core/gpkg_writer.h"
#include "layers/schema/validate.h"
#include "layers/store/ogr_values.h"
#include "layers/store/sqlite_sql.h"
#include "layers/store/statement.h"
#include "layers/store/store_internal.h"
#include "layers/store/styles.h"
#include "layers/version.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;

namespace {

/// Lower-case letters, digits and _, starting with a letter, at most 63 characters.
bool isResultName(const std::string& s) {
  if (s.empty() || s.size() > 63 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

void checkResultNames(const ResultLayer& result) {
  const std::string& name = result.name;
  if (!isResultName(name))
    throw geo::InputError({name, std::nullopt, ""},
                          "a result layer name needs lower-case letters, digits and _ "
                          "(at most 63, starting with a letter)");
  if (result.metadata.algorithm.empty())
    throw geo::InputError({name, std::nullopt, ""}, "the result's algorithm must be named");
  for (const auto& f : result.fields)
    if (!isResultName(f.name) || f.name == kFidColumn || f.name == kGeometryColumn)
      throw geo::InputError({name, std::nullopt, f.name}, "not a usable field name");
}

ResultMetadata completedMetadata(ResultMetadata m) {
  if (m.startedAt.empty()) m.startedAt = localNowIso();
  if (m.veldwachtVersion.empty()) m.veldwachtVersion = version();
  return m;
}

namespace {

bool isReservedName(const std::string& name) {
  for (const auto& d : layerDefs())
    if (d.name == name) return true;
  return name == kMetaTable || name == kImportsTable || name == kResultsTable ||
         name == kStylesTableName || name.starts_with("gpkg_") || name.starts_with("rtree_") ||
         name.starts_with("sqlite_");
}

/// Appends one row to veldwacht_resultaten, with our own statement (every bind checked: GDAL 3.6
/// bound NULL for a text it could not copy, and a NOT NULL constraint got the blame).
void addRegistryRow(GDALDataset& ds, const std::string& layer, const ResultMetadata& m,
                    const std::string& file, const std::string& style) {
  Statement insert(ds,
                   "INSERT INTO veldwacht_resultaten (laag, algoritme, parameters_json, "
                   "invoer_laag, invoer_rijen, seed, gestart_op, duur_s, veldwacht_versie, "
                   "bestand, geschreven_op, stijl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.text(1, layer)
      .text(2, m.algorithm)
      .text(3, m.parametersJson)
      .text(4, m.inputLayer)
      .integer(5, m.inputRows);
  if (m.seed)
    insert.integer(6, *m.seed);
  else
    insert.null(6);
  insert.text(7, gpkgDateTime(m.startedAt))
      .real(8, m.durationSeconds)
      .text(9, m.veldwachtVersion)
      .textOrNull(10, file)
      .text(11, gpkgDateTime(localNowIso()))
      .textOrNull(12, style);
  try {
    insert.run();
  } catch (const StorageError&) {
    throw;
  } catch (const geo::LibraryError& e) {
    throw geo::LibraryError("cannot register the result '" + layer + "': " + e.what());
  }
}

bool tableExists(GDALDataset& ds, const char* table) {
  Statement q(ds, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  q.text(1, table);
  return q.step();
}

/// Whether another table than `name` already carries `title` as its gpkg_contents identifier.
bool titleTakenByAnother(GDALDataset& ds, const std::string& title, const std::string& name) {
  if (!tableExists(ds, "gpkg_contents")) return false;
  Statement q(ds,
              "SELECT 1 FROM gpkg_contents WHERE identifier = ? AND lower(table_name) <> lower(?)");
  q.text(1, title).text(2, name);
  return q.step();
}

/// GDAL's layer metadata format (GDAL PAM XML in gpkg_metadata), as GDAL 3.6 writes it.
std::string gdalMetadataXml(const std::vector<std::pair<std::string, std::string>>& items) {
  std::string xml = "<GDALMultiDomainMetadata>\n  <Metadata>\n";
  for (const auto& [key, value] : items) {
    char* escaped =
        CPLEscapeString(value.c_str(), static_cast<int>(value.size()), CPLES_XML_BUT_QUOTES);
    xml += "    <MDI key=\"" + key + "\">" + (escaped ? escaped : "") + "</MDI>\n";
    CPLFree(escaped);
  }
  return xml + "  </Metadata>\n</GDALMultiDomainMetadata>\n";
}

/// Removes the gpkg_metadata rows of table `name` (GDAL's layer metadata), inside the caller's
/// transaction; metadata rows that something else refers to are kept.
void removeLayerMetadata(GDALDataset& ds, const std::string& name) {
  if (!tableExists(ds, "gpkg_metadata_reference") || !tableExists(ds, "gpkg_metadata")) return;
  Statement(ds,
            "DELETE FROM gpkg_metadata WHERE id IN (SELECT md_file_id FROM "
            "gpkg_metadata_reference WHERE lower(table_name) = lower(?1)) AND id NOT IN (SELECT "
            "md_file_id FROM gpkg_metadata_reference WHERE table_name IS NULL OR "
            "lower(table_name) <> lower(?1)) AND id NOT IN (SELECT md_parent_id FROM "
            "gpkg_metadata_reference WHERE md_parent_id IS NOT NULL)")
      .text(1, name)
      .run();
  Statement(ds, "DELETE FROM gpkg_metadata_reference WHERE lower(table_name) = lower(?)")
      .text(1, name)
      .run();
}

/// Writes the result's metadata as GDAL layer metadata (gpkg_metadata + a table-scope
/// gpkg_metadata_reference row, the GeoPackage metadata extension), with our own statements in
/// the caller's transaction. GDAL's own path (SetMetadataItem, flushed by SyncToDisk) crashed
/// under an allocation failure: GDAL 3.6 calls strlen on a string SQLite failed to allocate.
void writeLayerMetadata(GDALDataset& ds, const std::string& name, const ResultMetadata& meta) {
  if (!ds.GetDriver() || !EQUAL(ds.GetDriver()->GetDescription(), "GPKG")) return;
  Statement(ds,
            "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT,column_name TEXT,"
            "extension_name TEXT NOT NULL,definition TEXT NOT NULL,scope TEXT NOT NULL,"
            "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))")
      .run();
  Statement(ds,
            "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY "
            "ASC NOT NULL,md_scope TEXT NOT NULL DEFAULT 'dataset',md_standard_uri TEXT NOT "
            "NULL,mime_type TEXT NOT NULL DEFAULT 'text/xml',metadata TEXT NOT NULL DEFAULT '')")
      .run();
  Statement(ds,
            "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT "
            "NULL,table_name TEXT,column_name TEXT,row_id_value INTEGER,timestamp DATETIME NOT "
            "NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),md_file_id INTEGER NOT "
            "NULL,md_parent_id INTEGER,CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) "
            "REFERENCES gpkg_metadata(id),CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) "
            "REFERENCES gpkg_metadata(id))")
      .run();
  for (const char* table : {"gpkg_metadata", "gpkg_metadata_reference"})
    Statement(ds,
              "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
              "definition, scope) SELECT ?1, NULL, 'gpkg_metadata', "
              "'http://www.geopackage.org/spec120/#extension_metadata', 'read-write' WHERE NOT "
              "EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = ?1 AND column_name IS "
              "NULL AND extension_name = 'gpkg_metadata')")
        .text(1, table)
        .run();
  std::vector<std::pair<std::string, std::string>> items = {
      {"VELDWACHT_ALGORITHM", meta.algorithm},
      {"VELDWACHT_PARAMETERS", meta.parametersJson},
      {"VELDWACHT_INPUT_LAYER", meta.inputLayer},
      {"VELDWACHT_INPUT_ROWS", std::to_string(meta.inputRows)}};
  if (meta.seed) items.emplace_back("VELDWACHT_SEED", std::to_string(*meta.seed));
  items.emplace_back("VELDWACHT_STARTED_AT", meta.startedAt);
  items.emplace_back("VELDWACHT_DURATION_S", std::to_string(meta.durationSeconds));
  items.emplace_back("VELDWACHT_VERSION", meta.veldwachtVersion);
  Statement md(ds,
               "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
               "VALUES ('dataset', 'http://gdal.org', 'text/xml', ?)");
  md.text(1, gdalMetadataXml(items)).run();
  Statement(ds,
            "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, md_file_id) "
            "VALUES ('table', ?, ?)")
      .text(1, name)
      .integer(2, md.lastInsertId())
      .run();
}

void removeRegistryRows(GDALDataset& ds, const std::string& layer) {
  runSql(ds, "DELETE FROM veldwacht_resultaten WHERE laag = " + sqlite::literal(layer));
}

bool isRegistered(Store& store, const std::string& layer) {
  return !store.query("SELECT 1 FROM veldwacht_resultaten WHERE laag = " + sqlite::literal(layer))
              .empty();
}

FieldType fieldTypeOf(const OGRFieldDefn& f) {
  switch (f.GetType()) {
    case OFTInteger:
      return f.GetSubType() == OFSTBoolean ? FieldType::Boolean : FieldType::Integer;
    case OFTInteger64:
      return FieldType::Integer;
    case OFTReal:
      return FieldType::Real;
    case OFTDate:
      return FieldType::Date;
    case OFTDateTime:
      return FieldType::DateTime;
    default:
      return FieldType::Text;
  }
}

GeometryKind kindOf(OGRwkbGeometryType t) {
  switch (wkbFlatten(t)) {
    case wkbNone:
      return GeometryKind::None;
    case wkbPoint:
      return GeometryKind::Point;
    case wkbLineString:
      return GeometryKind::LineString;
    default:
      return GeometryKind::MultiPolygon;
  }
}

}  // namespace

std::string ResultMetadata::describe() const {
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3g s", durationSeconds);
  std::string s = algorithm + " op " + inputLayer + " (" + std::to_string(inputRows) + " rijen)";
  if (seed) s += ", seed " + std::to_string(*seed);
  s += ", gestart " + startedAt + ", " + duration + ", Veldwacht " + veldwachtVersion;
  return s;
}

namespace {

/// A result checked and ready to write: its table definition, completed metadata and style.
struct PreparedResult {
  LayerDef def;
  ResultMetadata meta;
  std::string qml;
  ResultLayer result;
  const PointColumns* columns = nullptr;  ///< the rows, when held column by column
  bool ownSql = false;                    ///< written with geo::GpkgWriter, not through GDAL
};

ResultTableWriter gTableWriter = ResultTableWriter::OwnSql;

/// Whether `def` needs GDAL to be created: a coded-value field becomes a GeoPackage field
/// domain (gpkg_data_column_constraints), which only GDAL's layer creation writes.
bool needsGdal(const LayerDef& def) {
  for (const auto& f : def.fields)
    if (!f.allowed.empty() && !f.commaList) return true;
  return false;
}

bool ownSqlStore(Store& store) {
  GDALDataset& ds = store.dataset();
  return gTableWriter == ResultTableWriter::OwnSql && ds.GetDriver() &&
         EQUAL(ds.GetDriverName(), "GPKG") && sqliteHandle(ds);
}

/// Every check that needs no write: names, fields, records, and that an existing layer of
/// that name is a Veldwacht result. Throws geo::InputError / ValidationError.
PreparedResult prepare(Store& store, ResultLayer&& result, const PointColumns* columns,
                       geo::Progress& progress) {
  const std::string name = result.name;
  checkResultNames(result);
  if (isReservedName(name))
    throw geo::InputError({name, std::nullopt, ""},
                          "'" + name + "' is a layer of the store itself, not a result");
  if ((store.dataset().GetLayerByName(name.c_str()) ||
       (sqliteHandle(store.dataset()) && tableExists(store.dataset(), name.c_str()))) &&
      !isRegistered(store, name))
    throw geo::InputError({name, std::nullopt, ""}, "a layer '" + name +
                                                        "' exists and is not a Veldwacht result; "
                                                        "refusing to replace it");
  PreparedResult p;
  LayerDef& def = p.def;
  def.name = name;
  def.title = result.title.empty() ? name : result.title;
  // A GeoPackage's identifiers are UNIQUE (gpkg_contents): a second result of the same kind under
  // another name ("Route (auto)" as r0_route and r1_route) gets its layer name added.
  if (def.title != name && titleTakenByAnother(store.dataset(), def.title, name))
    def.title += " (" + name + ")";
  def.group = "Resultaten";
  def.geometry = result.geometry;
  def.fields = result.fields;
  p.meta = completedMetadata(result.metadata);
  def.help = p.meta.describe();

  if (columns) {
    if (def.geometry != GeometryKind::Point)
      throw geo::InputError({name, std::nullopt, ""},
                            "a table held column by column must be a point layer");
    if (!result.records.empty())
      throw geo::InputError({name, std::nullopt, ""}, "rows both as records and as columns");
    if (columns->columns.size() != def.fields.size())
      throw geo::InputError({name, std::nullopt, ""},
                            std::to_string(columns->columns.size()) + " columns for " +
                                std::to_string(def.fields.size()) + " fields");
  }
  {
    std::vector<Problem> problems;
    geo::ProgressStep step(progress, 0.0, 1.0, "checking result");
    if (columns) {
      // The same checks as for records, on one reused record (no Record per point).
      Record r;
      auto* point = new OGRPoint(0, 0);
      r.geometry.reset(point);
      const std::size_t n = columns->size();
      for (std::size_t i = 0; i < n; ++i) {
        columns->row(i, r.values);
        point->setX(columns->points[i].x);
        point->setY(columns->points[i].y);
        r.sourceRow = std::int64_t(i) + 1;
        validateRecord(def, r, name, problems);
        if (problems.size() > 1000) break;
        step.tick(i + 1, n);
      }
    } else {
      for (std::size_t i = 0; i < result.records.size(); ++i) {
        validateRecord(def, result.records[i], name, problems);
        step.tick(i + 1, result.records.size());
      }
    }
    if (!problems.empty()) throw ValidationError(std::move(problems));
  }
  p.columns = columns;
  p.ownSql = ownSqlStore(store) && !needsGdal(def);

  if (!result.style.empty()) {
    const std::string dir = stylesDirectory(result.stylesDir);
    if (!dir.empty())
      p.qml = readStyleFile((fs::path(dir) / "results" / (result.style + ".qml")).string())
                  .value_or("");
  }
  p.result = std::move(result);
  return p;
}

/// Deletes the layer `name` (when present), its styles and its registry rows, inside the
/// caller's transaction.
/// Drops table `name` with its R-tree and gpkg_* rows with SQL: for a result table that GDAL's
/// dataset does not know (written by the own-SQL path when the store could not be reopened).
void dropTableWithSql(GDALDataset& ds, const std::string& name) {
  if (tableExists(ds, "gpkg_geometry_columns")) {
    Statement geom(ds, "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?");
    geom.text(1, name);
    std::vector<std::string> columns;
    while (geom.step()) columns.push_back(geom.columnText(0));
    for (const auto& g : columns) {
      const std::string rtree = "rtree_" + name + "_" + g;
      if (tableExists(ds, rtree.c_str())) Statement(ds, "DROP TABLE " + sqlite::ident(rtree)).run();
    }
  }
  Statement(ds, "DROP TABLE " + sqlite::ident(name)).run();  // its triggers go with it
  for (const char* meta : {"gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents",
                           "gpkg_data_columns", "gpkg_contents"})
    if (tableExists(ds, meta))
      Statement(ds, std::string("DELETE FROM ") + meta + " WHERE lower(table_name) = lower(?)")
          .text(1, name)
          .run();
}

void removeResultIn(GDALDataset& ds, const std::string& name, const char* verb) {
  removeLayerMetadata(ds, name);
  bool known = false;
  for (int i = 0; i < ds.GetLayerCount(); ++i) {
    if (name != ds.GetLayer(i)->GetName()) continue;
    CPLErrorReset();
    OGRErr deleted = OGRERR_NONE;
    try {
      deleted = ds.DeleteLayer(i);
    } catch (const std::exception& e) {
      // GDAL 3.6 builds a std::string from an SQL text SQLite failed to allocate and throws
      // std::logic_error (allocation-failure sweep, persistent, cluster_columns n = 1165).
      if (const auto storage = storageFailure(ds, true, e.what())) throw storageError(*storage);
      throw storageError("GDAL failed to " + std::string(verb) + " the result '" + name + "' (" +
                         e.what() + "; out of memory?)");
    }
    if (deleted != OGRERR_NONE) {
      if (const auto storage = storageFailure(ds, true, geo::lastGdalError()))
        throw storageError(*storage);
      // GDAL's DeleteLayer reports SQLite's message; an empty one means SQLite had no memory
      // left even for the message (allocation-failure sweep), not that the layer is in the way.
      const char* raw = CPLGetLastErrorMsg();
      if (!raw || !*raw || std::string(raw) == "(null)")
        throw storageError("SQLite failed to " + std::string(verb) + " the result '" + name +
                           "' without a reason (out of memory?)");
      throw geo::LibraryError(std::string("cannot ") + verb + " the result '" + name +
                              "': " + geo::lastGdalError());
    }
    known = true;
    break;
  }
  if (!known && sqliteHandle(ds) && tableExists(ds, name.c_str())) dropTableWithSql(ds, name);
  removeStyles(ds, name);
  removeRegistryRows(ds, name);
}

/// Writes one prepared result inside the caller's transaction: replaces the old one (layer,
/// styles, registry rows), writes the records, metadata, registry row and style.
void writeIn(GDALDataset& ds, const PreparedResult& p, geo::Progress& progress) {
  const LayerDef& def = p.def;
  const std::string& name = def.name;
  const ResultMetadata& meta = p.meta;
  removeResultIn(ds, name, "replace");

  geo::ProgressStep step(progress, 0.0, 1.0, "writing result");
  OGRLayer& layer = createOgrLayer(ds, def);
  const std::vector<int> idx = ogrFieldIndexes(*layer.GetLayerDefn(), def.fields);
  const auto& records = p.result.records;
  WrittenValues written(ds, layer);
  for (std::size_t r = 0; r < records.size(); ++r) {
    const Record& rec = records[r];
    geo::FeaturePtr f(OGRFeature::CreateFeature(layer.GetLayerDefn()));
    for (std::size_t i = 0; i < def.fields.size() && i < rec.values.size(); ++i)
      if (!isNull(rec.values[i])) setOgrField(*f, idx[i], def.fields[i].type, rec.values[i]);
    if (rec.geometry)
      f->SetGeometryDirectly(geometryForLayer(*rec.geometry, def.geometry).release());
    written.note(*f);
    geo::GdalErrorCapture capture;
    CPLErrorReset();
    const OGRErr created = layer.CreateFeature(f.get());
    throwIfStorageFailed(ds, capture.messages());
    if (created != OGRERR_NONE) {
      // Stop at once: SQLite may have rolled back already (full disk, I/O error).
      if (const auto storage = storageFailure(ds, true, capture.messages()))
        throw storageError(*storage);
      throw geo::LibraryError("cannot write record " + std::to_string(r + 1) + " of '" + name +
                              "': " + geo::lastGdalError());
    }
    step.tick(r + 1, records.size());
  }
  written.verify();
  writeLayerMetadata(ds, name, meta);
  addRegistryRow(ds, name, meta, "", p.result.style);
  if (!p.qml.empty())
    embedDefaultStyle(ds, name, p.result.style, p.qml, "Veldwacht-stijl " + p.result.style);
}

geo::GpkgFieldType gpkgType(FieldType t) {
  switch (t) {
    case FieldType::Text:
      return geo::GpkgFieldType::Text;
    case FieldType::Integer:
      return geo::GpkgFieldType::Int64;  // GDAL: OFTInteger64 is INTEGER
    case FieldType::Real:
      return geo::GpkgFieldType::Real;
    case FieldType::Boolean:
      return geo::GpkgFieldType::Boolean;
    case FieldType::Date:
      return geo::GpkgFieldType::Date;
    case FieldType::DateTime:
      return geo::GpkgFieldType::DateTime;
  }
  return geo::GpkgFieldType::Text;
}

geo::GpkgGeometryType gpkgGeometry(GeometryKind k) {
  switch (k) {
    case GeometryKind::None:
      return geo::GpkgGeometryType::None;
    case GeometryKind::Point:
      return geo::GpkgGeometryType::Point;
    case GeometryKind::LineString:
      return geo::GpkgGeometryType::LineString;
    case GeometryKind::MultiPolygon:
      return geo::GpkgGeometryType::MultiPolygon;
  }
  return geo::GpkgGeometryType::Geometry;
}

/// The table as GDAL's CreateLayer (createOgrLayer) would create it in the store.
geo::GpkgLayerOptions gpkgOptions(const PreparedResult& p) {
  const LayerDef& def = p.def;
  geo::GpkgLayerOptions o;
  o.table = def.name;
  o.identifier = def.title;
  o.description = def.help;
  o.geometryColumn = kGeometryColumn;
  o.fidColumn = kFidColumn;
  o.geometryType = gpkgGeometry(def.geometry);
  o.epsg = geo::kWorkingEpsg;
  o.spatialIndex = def.geometry != GeometryKind::None;
  o.expectedRows = std::int64_t(p.columns ? p.columns->size() : p.result.records.size());
  for (const auto& f : def.fields) {
    o.fields.push_back({f.name, gpkgType(f.type)});
    geo::GpkgFieldConstraints c;
    c.width = f.type == FieldType::Text ? f.width : 0;
    c.notNull = f.required;
    c.unique = f.unique;
    c.defaultValue = f.defaultValue;
    o.constraints.push_back(std::move(c));
  }
  return o;
}

/// Writes one prepared result inside the caller's transaction with the project's own SQL on the
/// store's connection: replaces the old one (through GDAL, which knows that layer), creates the
/// table, its gpkg_* rows, feature count triggers and R-tree as GDAL would, writes the rows
/// with one prepared INSERT (from the columns when held so), then metadata, registry row and
/// style. GDAL's dataset does not know the new table until the store is reopened.
void writeInSql(GDALDataset& ds, const PreparedResult& p, geo::Progress& progress) {
  const LayerDef& def = p.def;
  const std::string& name = def.name;
  removeResultIn(ds, name, "replace");
  sqlite3* db = sqliteHandle(ds);
  if (!db) throw geo::LibraryError("the store has no SQLite connection");
  geo::GpkgWriter writer(db, gpkgOptions(p), progress);
  // DateTime values as GDAL stores them ("YYYY-MM-DDTHH:MM:SS.sss"); other values as they are.
  std::vector<std::size_t> dateTimes;
  for (std::size_t i = 0; i < def.fields.size(); ++i)
    if (def.fields[i].type == FieldType::DateTime) dateTimes.push_back(i);
  std::vector<Value> values;
  const auto fixDateTimes = [&] {
    for (std::size_t i : dateTimes)
      if (auto* s = std::get_if<std::string>(&values[i])) *s = gpkgDateTime(*s);
  };
  if (p.columns) {
    const PointColumns& c = *p.columns;
    for (std::size_t i = 0; i < c.size(); ++i) {
      c.row(i, values);
      fixDateTimes();
      writer.addPoint(c.points[i].x, c.points[i].y, values);
    }
  } else {
    for (const Record& rec : p.result.records) {
      std::span<const Value> row = rec.values;
      if (!dateTimes.empty() || rec.values.size() != def.fields.size()) {
        values.assign(rec.values.begin(), rec.values.end());
        values.resize(def.fields.size());
        fixDateTimes();
        row = values;
      }
      if (def.geometry == GeometryKind::None) {
        writer.addRow(row);
      } else if (!rec.geometry) {
        writer.addWkb({}, row);
      } else if (def.geometry == GeometryKind::Point &&
                 wkbFlatten(rec.geometry->getGeometryType()) == wkbPoint) {
        writer.addGeometry(rec.geometry.get(), row);  // 2D: only x and y are written
      } else {
        const geo::GeometryPtr g = geometryForLayer(*rec.geometry, def.geometry);
        writer.addGeometry(g.get(), row);
      }
    }
  }
  writer.commit();
  writeLayerMetadata(ds, name, p.meta);
  addRegistryRow(ds, name, p.meta, "", p.result.style);
  if (!p.qml.empty())
    embedDefaultStyle(ds, name, p.result.style, p.qml, "Veldwacht-stijl " + p.result.style);
}

}  // namespace

void setResultTableWriter(ResultTableWriter writer) { gTableWriter = writer; }
ResultTableWriter resultTableWriter() { return gTableWriter; }

void writeResultLayer(Store& store, ResultLayer&& result, geo::Progress& progress) {
  std::vector<ResultLayer> one;
  one.push_back(std::move(result));
  writeResultSet(store, std::move(one), progress);
}

namespace {

/// What a registry row of a result file holds: its name, its path as recorded (relative to
/// the store's folder when inside it) and the completed metadata. Copies the style sidecar when
/// the file has none yet and `copySidecar`.
struct FileRow {
  std::string layer;
  std::string file;
  ResultMetadata meta;
  std::string style;
};

FileRow fileRow(Store& store, const std::string& path, const ResultMetadata& metadata,
                const std::string& style, const std::string& stylesDir, bool copySidecar) {
  if (metadata.algorithm.empty())
    throw geo::InputError({path, std::nullopt, ""}, "the result's algorithm must be named");
  std::error_code ec;
  // Relative to the store's folder when the file lies inside it, so the pair can be moved.
  const fs::path storeDir = fs::absolute(store.path()).parent_path();
  const fs::path abs = fs::absolute(path);
  FileRow row{abs.filename().string(), abs.string(), completedMetadata(metadata), style};
  const auto rel = abs.lexically_relative(storeDir);
  if (!rel.empty() && *rel.begin() != "..") row.file = rel.string();
  if (copySidecar && !style.empty()) {
    const std::string dir = stylesDirectory(stylesDir);
    const fs::path sidecar = fs::path(abs).replace_extension(".qml");
    if (!dir.empty() && !fs::exists(sidecar, ec)) {
      if (auto qml = readStyleFile((fs::path(dir) / "results" / (style + ".qml")).string())) {
        std::ofstream out(sidecar, std::ios::binary);
        out << *qml;
      }
    }
  }
  return row;
}

}  // namespace

void writeResultSet(Store& store, std::vector<ResultLayer>&& results, geo::Progress& progress) {
  writeResultSet(store, std::move(results), {}, progress);
}

namespace testing {
void (*resultFileStep)(const char* step) = nullptr;
}  // namespace testing

namespace {

/// veldwacht_meta key of a recorded move: the prefix and the result file's registry name.
constexpr const char* kMoveKey = "bestandswissel:";

void reachStep(const char* step) {
  if (testing::resultFileStep) testing::resultFileStep(step);
}

/// A recorded move: its key and value as stored, and the (temporary, target) paths.
struct RecordedMove {
  std::string key;
  std::string value;
  bool registered = false;  ///< the file still has its registry row
  std::vector<std::pair<std::string, std::string>> moves;
};

/// The value of a move record: one "<temporary>\t<target>" line per file, names only (both
/// lie in the registered file's folder, so the store and its files may be moved together).
std::string moveRecordValue(const ResultFile& f) {
  std::string v;
  for (const auto& o : f.outputs)
    v += fs::path(o->tempPath()).filename().string() + "\t" +
         fs::path(o->path()).filename().string() + "\n";
  return v;
}

std::vector<RecordedMove> recordedMoves(Store& store) {
  const std::string prefix = kMoveKey;
  const auto rows = store.query(
      "SELECT m.key, m.value, r.bestand FROM veldwacht_meta m LEFT JOIN veldwacht_resultaten r "
      "ON r.laag = substr(m.key, " +
      std::to_string(prefix.size() + 1) + ") WHERE substr(m.key, 1, " +
      std::to_string(prefix.size()) + ") = " + sqlite::literal(prefix));
  const fs::path storeDir = fs::absolute(store.path()).parent_path();
  std::vector<RecordedMove> out;
  for (const auto& r : rows) {
    if (!r[0]) continue;
    RecordedMove m;
    m.key = *r[0];
    m.value = r[1] ? *r[1] : std::string();
    m.registered = r[2] && !r[2]->empty();
    if (m.registered) {
      fs::path file(*r[2]);
      if (file.is_relative()) file = storeDir / file;
      const fs::path folder = file.parent_path();
      std::size_t start = 0;
      while (start < m.value.size()) {
        std::size_t end = m.value.find('\n', start);
        if (end == std::string::npos) end = m.value.size();
        const std::string line = m.value.substr(start, end - start);
        const auto tab = line.find('\t');
        // Names only: a record naming another folder is not ours to follow.
        if (tab != std::string::npos && line.find('/') == std::string::npos)
          m.moves.emplace_back((folder / line.substr(0, tab)).string(),
                               (folder / line.substr(tab + 1)).string());
        start = end + 1;
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

void forgetMoves(Store& store, const std::vector<RecordedMove>& finished) {
  if (finished.empty()) return;
  store.transaction([&](GDALDataset& ds) {
    for (const auto& m : finished)  // only the record that was seen, not a newer one
      runSql(ds, "DELETE FROM veldwacht_meta WHERE key = " + sqlite::literal(m.key) +
                     " AND value = " + sqlite::literal(m.value));
  });
}

}  // namespace

std::size_t completeResultFileMoves(Store& store, bool forget) {
  std::size_t moved = 0;
  std::vector<RecordedMove> finished;
  for (auto& m : recordedMoves(store)) {
    bool complete = true;
    for (const auto& [temporary, target] : m.moves) {
      try {
        if (geo::finishMove(temporary, target)) ++moved;
      } catch (const geo::Error&) {
        complete = false;  // e.g. the target became a link: the file waits, the record stays
      }
    }
    if (complete) finished.push_back(std::move(m));
  }
  if (forget) forgetMoves(store, finished);
  return moved;
}

void cleanUpResultFile(Store& store, const std::string& path) {
  completeResultFileMoves(store, true);
  std::vector<std::string> keep;  // moves that could not be finished keep their files
  for (const auto& m : recordedMoves(store))
    for (const auto& mv : m.moves) keep.push_back(mv.first);
  geo::removeStaleTemporaries(path, keep);
  geo::removeStaleTemporaries(fs::path(path).replace_extension(".qml").string(), keep);
}

void writeResultSet(Store& store, std::vector<ResultLayer>&& results,
                    std::vector<ResultFile>&& files, geo::Progress& progress) {
  writeResultSet(store, std::move(results), {}, std::move(files), progress);
}

void writeResultSet(Store& store, std::vector<ResultLayer>&& results,
                    std::vector<PointColumns>&& columns, std::vector<ResultFile>&& files,
                    geo::Progress& progress) {
  if (results.empty() && files.empty()) return;
  for (std::size_t i = 0; i < results.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (results[i].name == results[j].name)
        throw geo::InputError({results[i].name, std::nullopt, ""},
                              "the same result layer name twice in one run");
  std::vector<const PointColumns*> columnsOf(results.size(), nullptr);
  for (const PointColumns& c : columns) {
    std::size_t found = results.size();
    for (std::size_t i = 0; i < results.size(); ++i)
      if (results[i].name == c.layer) found = i;
    if (found == results.size() || columnsOf[found])
      throw geo::InputError({c.layer, std::nullopt, ""},
                            "a column-wise table without its one result layer");
    columnsOf[found] = &c;
  }
  ResultSetWriter* own = store.resultWriter();  // PostGIS: layers/pgstore/pg_results.cpp
  if (own || !ownSqlStore(store)) {
    // GDAL or the store's own writer writes records: make them from the columns (the path of
    // SpatiaLite and PostGIS).
    for (std::size_t i = 0; i < results.size(); ++i) {
      const PointColumns* c = columnsOf[i];
      if (!c) continue;
      if (!results[i].records.empty())
        throw geo::InputError({c->layer, std::nullopt, ""}, "rows both as records and as columns");
      results[i].records.reserve(c->size());
      for (std::size_t r = 0; r < c->size(); ++r) results[i].records.push_back(c->record(r));
      columnsOf[i] = nullptr;
    }
  }
  if (own) return own->writeResultSet(std::move(results), std::move(files), progress);
  std::vector<FileRow> fileRows;
  for (const auto& f : files) {
    for (const auto& r : results)
      if (fs::path(f.path).filename().string() == r.name)
        throw geo::InputError({r.name, std::nullopt, ""},
                              "the same result name for a layer and a file in one run");
    // The writer moves the file's sidecar into place with it (prepareRasterFile).
    fileRows.push_back(fileRow(store, f.path, f.metadata, f.style, f.stylesDir, false));
  }
  const double n = static_cast<double>(results.size());
  std::vector<PreparedResult> prepared;
  geo::SubProgress checking(progress, 0.0, 0.1);
  for (std::size_t i = 0; i < results.size(); ++i) {
    geo::SubProgress sub(checking, double(i) / n, double(i + 1) / n);
    prepared.push_back(prepare(store, std::move(results[i]), columnsOf[i], sub));
    for (std::size_t j = 0; j < i; ++j)  // identifiers are unique within the set too
      if (prepared[j].def.title == prepared[i].def.title) {
        prepared[i].def.title += " (" + prepared[i].def.name + ")";
        break;
      }
  }
  bool anyOwnSql = false;
  for (const auto& p : prepared) anyOwnSql = anyOwnSql || p.ownSql;
  std::vector<RecordedMove> records;  // the journaled moves of this set
  for (std::size_t i = 0; i < files.size(); ++i)
    if (!files[i].outputs.empty())
      records.push_back({kMoveKey + fileRows[i].layer, moveRecordValue(files[i]), true, {}});
  geo::SubProgress writing(progress, 0.1, 1.0);
  store.transaction(
      [&](GDALDataset& ds) {
        for (std::size_t i = 0; i < prepared.size(); ++i) {
          geo::SubProgress sub(writing, double(i) / n, double(i + 1) / n);
          if (prepared[i].ownSql)
            writeInSql(ds, prepared[i], sub);
          else
            writeIn(ds, prepared[i], sub);
        }
        for (const auto& p : prepared) {
          if (p.def.geometry == GeometryKind::None) continue;
          if (p.ownSql) {  // the index was packed by the writer: check that it is all there
            requireSpatialIndex(ds, p.def.name, kGeometryColumn);
            continue;
          }
          // GDAL builds a new layer's R-tree at its sync: now, and check that it is all there.
          OGRLayer* layer = ds.GetLayerByName(p.def.name.c_str());
          if (!layer) throw geo::LibraryError("the result layer '" + p.def.name + "' vanished");
          geo::GdalErrorCapture capture;
          layer->SyncToDisk();
          throwIfStorageFailed(ds, capture.messages());
          requireSpatialIndex(ds, p.def.name, layer->GetGeometryColumn());
        }
        for (const auto& row : fileRows) {
          removeRegistryRows(ds, row.layer);
          addRegistryRow(ds, row.layer, row.meta, row.file, row.style);
        }
        // The moves to make after the COMMIT, recorded with the rows (replacing an older
        // record of the same file, whose moves were finished before this write began).
        for (const auto& r : records) {
          runSql(ds, "DELETE FROM veldwacht_meta WHERE key = " + sqlite::literal(r.key));
          runSql(ds, "INSERT INTO veldwacht_meta (key, value) VALUES (" + sqlite::literal(r.key) +
                         ", " + sqlite::literal(r.value) + ")");
        }
      },
      [&] {
        // Last, after the store's checks, just before COMMIT: the journaled files synced (they
        // must survive a crash once the record is committed) and their targets checked once
        // more; a file without outputs is moved into place now. A failure rolls all back.
        for (const auto& f : files)
          for (const auto& o : f.outputs) o->prepareCommit();
        for (const auto& f : files)
          if (f.outputs.empty() && f.moveIntoPlace) f.moveIntoPlace();
        reachStep("recorded");
      });
  // Committed: the temporary files now belong to the record, which a reader finishes should
  // this process stop or fail before the moves below. First of all, so that nothing thrown
  // from here on (the reopen included) can remove them.
  for (const auto& f : files)
    for (const auto& o : f.outputs) o->keepTemporary();
  reachStep("committed");
  // GDAL's dataset learns of the tables created behind its back only when it opens the file.
  if (anyOwnSql) store.reopen();
  std::exception_ptr failed;
  for (const auto& f : files)
    for (std::size_t i = 0; i < f.outputs.size(); ++i) {
      try {
        f.outputs[i]->commit();
      } catch (const std::exception&) {
        if (!failed) failed = std::current_exception();
      }
      if (i + 1 < f.outputs.size()) reachStep("moved-sidecar");
    }
  reachStep("moved");
  if (!failed) {
    try {
      geo::GdalErrorCapture quiet;  // a failure here is not the write's: no message of GDAL's
      forgetMoves(store, records);
    } catch (const std::exception&) {
      // The record of finished moves stays; the next write deletes it (cleanUpResultFile).
    }
  }
  if (failed) {
    try {
      std::rethrow_exception(failed);
    } catch (const geo::InputError&) {
      throw;  // the target became a link or a foreign file: the file waits, the write says so
    } catch (const std::exception& e) {
      // The result is committed: say so, rather than let "cannot move" read as a failed write.
      throw geo::LibraryError(
          std::string("the result was written to the store, but its file could not be put in "
                      "place yet: ") +
          e.what() +
          "; the new file waits beside it and the next Veldwacht command on this store (e.g. "
          "'veldwacht info') moves it into place");
    }
  }
  progress.setFraction(1.0);
}

void registerResultFile(Store& store, const std::string& path, const ResultMetadata& metadata,
                        const std::string& style, const std::string& stylesDir) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw geo::InputError({path, std::nullopt, ""}, "no result file to register");
  const FileRow row = fileRow(store, path, metadata, style, stylesDir, true);
  store.transaction([&](GDALDataset& ds) {
    removeRegistryRows(ds, row.layer);
    addRegistryRow(ds, row.layer, row.meta, row.file, row.style);
  });
}

std::vector<ResultInfo> listResults(Store& store) {
  // A result set committed just before a kill may have its file moves still to do: the
  // registry rows below and the files on disk are of the same run once they are done.
  completeResultFileMoves(store);
  std::vector<ResultInfo> out;
  const auto rows = store.query(
      "SELECT laag, algoritme, parameters_json, invoer_laag, invoer_rijen, seed, gestart_op, "
      "duur_s, veldwacht_versie, bestand, geschreven_op, stijl FROM veldwacht_resultaten "
      "ORDER BY fid");
  for (const auto& r : rows) {
    auto s = [&](std::size_t i) { return r[i] ? *r[i] : std::string(); };
    ResultInfo info;
    info.layer = s(0);
    info.metadata.algorithm = s(1);
    info.metadata.parametersJson = s(2);
    info.metadata.inputLayer = s(3);
    info.metadata.inputRows = std::atoll(s(4).c_str());
    if (r[5]) info.metadata.seed = std::atoll(r[5]->c_str());
    info.metadata.startedAt = s(6).substr(0, 19);
    info.metadata.durationSeconds = std::atof(s(7).c_str());
    info.metadata.veldwachtVersion = s(8);
    info.file = s(9);
    info.writtenAt = s(10).substr(0, 19);
    info.style = s(11);
    out.push_back(std::move(info));
  }
  return out;
}

ResultLayer readResultLayer(Store& store, const std::string& name) {
  ResultLayer result;
  const auto infos = listResults(store);
  const auto it = std::find_if(infos.rbegin(), infos.rend(),
                               [&](const ResultInfo& i) { return i.layer == name; });
  OGRLayer* layer = store.dataset().GetLayerByName(name.c_str());
  if (it == infos.rend() || !layer) throw geo::Error("no result layer '" + name + "' in the store");
  result.name = name;
  result.metadata = it->metadata;
  result.style = it->style;
  if (const char* id = layer->GetMetadataItem("IDENTIFIER")) result.title = id;
  result.geometry = kindOf(layer->GetGeomType());
  const OGRFeatureDefn* defn = layer->GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const OGRFieldDefn* f = defn->GetFieldDefn(i);
    FieldDef d;
    d.name = f->GetNameRef();
    d.type = fieldTypeOf(*f);
    d.required = !f->IsNullable();
    d.width = f->GetWidth();
    result.fields.push_back(std::move(d));
  }
  layer->ResetReading();
  for (geo::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    Record r;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
      r.values.push_back(getOgrField(*f, i, result.fields[static_cast<std::size_t>(i)].type));
    r.geometry.reset(f->StealGeometry());
    r.sourceRow = f->GetFID();
    result.records.push_back(std::move(r));
  }
  layer->ResetReading();
  return result;
}

void deleteResult(Store& store, const std::string& name) {
  if (ResultSetWriter* own = store.resultWriter()) return own->deleteResult(name);
  if (!isRegistered(store, name)) throw geo::Error("no result '" + name + "' in the store");
  store.transaction([&](GDALDataset& ds) { removeResultIn(ds, name, "delete"); });
}

}  // namespace veldwacht::layers
