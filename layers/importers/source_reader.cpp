#include "layers/importers/source_reader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <cpl_error.h>
#include <fmt/format.h>

#include "geo/core/error.h"
#include "layers/importers/csv_reader.h"
#include "layers/importers/values.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;
using veldwacht::geo::GeometryPtr;
using veldwacht::geo::InputError;
using veldwacht::geo::Location;

namespace {

bool oneOf(const std::string& s, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return s == n; });
}

/// Records GDAL failures (not warnings) raised while in scope, with their class.
class FailureCapture {
 public:
  FailureCapture() { CPLPushErrorHandlerEx(&FailureCapture::handler, this); }
  ~FailureCapture() { CPLPopErrorHandler(); }
  FailureCapture(const FailureCapture&) = delete;
  FailureCapture& operator=(const FailureCapture&) = delete;
  std::vector<std::string> failures;
  std::vector<std::string> warnings;

 private:
  static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum, const char* msg) {
    auto* self = static_cast<FailureCapture*>(CPLGetErrorHandlerUserData());
    if (!self || !msg) return;
    if (cls == CE_Failure || cls == CE_Fatal) self->failures.emplace_back(msg);
    if (cls == CE_Warning) self->warnings.emplace_back(msg);
  }
};

std::string extensionOf(const std::string& path) {
  return toLowerAscii(fs::path(path).extension().string());
}

std::optional<GeometryKind> kindOf(OGRwkbGeometryType t) {
  switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint:
      return GeometryKind::Point;
    case wkbLineString:
    case wkbMultiLineString:
      return GeometryKind::LineString;
    case wkbPolygon:
    case wkbMultiPolygon:
      return GeometryKind::MultiPolygon;
    case wkbNone:
      return GeometryKind::None;
    default:
      return std::nullopt;
  }
}

Value fieldValue(OGRFeature& f, int i, const OGRFieldDefn& def) {
  if (!f.IsFieldSetAndNotNull(i)) return {};
  switch (def.GetType()) {
    case OFTInteger:
    case OFTInteger64:
      return std::int64_t(f.GetFieldAsInteger64(i));
    case OFTReal:
      return f.GetFieldAsDouble(i);
    case OFTDate:
    case OFTDateTime: {
      int y = 0, m = 0, d = 0, hh = 0, mi = 0, tz = 0;
      float ss = 0;
      f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mi, &ss, &tz);
      if (def.GetType() == OFTDate) return fmt::format("{:04}-{:02}-{:02}", y, m, d);
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, hh, mi, int(ss));
    }
    default: {
      std::string s = f.GetFieldAsString(i);
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
      std::size_t b = 0;
      while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
      s.erase(0, b);
      if (s.empty()) return {};
      return s;
    }
  }
}

std::vector<std::string> allowedDrivers(const std::string& ext) {
  if (ext == ".geojson" || ext == ".json") return {"GeoJSON"};
  if (ext == ".gpkg") return {"GPKG"};
  if (ext == ".shp" || ext == ".dbf") return {"ESRI Shapefile"};
  if (ext == ".fgb") return {"FlatGeobuf"};
  if (ext == ".geojsonl" || ext == ".geojsons") return {"GeoJSONSeq"};
  if (ext == ".sqlite") return {"SQLite"};
  return {"GeoJSON", "GPKG", "ESRI Shapefile", "FlatGeobuf", "GML", "KML", "SQLite", "GeoJSONSeq"};
}

std::string formatName(const std::string& ext) {
  if (ext == ".geojson" || ext == ".json") return "GeoJSON";
  if (ext == ".gpkg") return "GeoPackage";
  if (ext == ".shp" || ext == ".dbf") return "shapefile";
  return "vector dataset";
}

// ---- CSV ----

// Two columns of one name: the second would be read as "not used" (issue 7). Name both.
void checkUniqueColumns(SourceTable& t) {
  for (std::size_t i = 0; i < t.fields.size(); ++i)
    for (std::size_t j = i + 1; j < t.fields.size(); ++j)
      if (!t.fields[i].empty() && toLowerAscii(t.fields[i]) == toLowerAscii(t.fields[j])) {
        t.errors.push_back({{t.file, 1, t.fields[j]},
                            fmt::format("column {} ('{}') and column {} ('{}') have the same name; "
                                        "expected unique column names: rename or remove one",
                                        i + 1, t.fields[i], j + 1, t.fields[j])});
        break;
      }
}

/// The CSV columns the geometry comes from: x/y (or lon/lat, `degrees`) or one WKT column.
struct CsvGeometryColumns {
  int ci = -1, cj = -1;  ///< x and y (or lon and lat); -1 when none
  bool degrees = false;
  int wkti = -1;
};

// Coordinate columns: explicit ones first, then by name.
CsvGeometryColumns findGeometryColumns(SourceTable& t, const SourceOptions& options) {
  const std::string& path = t.file;
  auto find = [&](const std::string& wanted, bool (*pred)(const std::string&)) -> int {
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
      const std::string l = toLowerAscii(t.fields[i]);
      if (!wanted.empty() ? l == toLowerAscii(wanted) : pred(l)) return int(i);
    }
    return -1;
  };
  const auto& g = options.csvGeometry;
  const bool explicitXy = !g.x.empty() || !g.y.empty();
  const bool explicitLl = !g.lon.empty() || !g.lat.empty();
  const bool explicitWkt = !g.wkt.empty();
  if (explicitWkt && (explicitXy || explicitLl))
    throw veldwacht::geo::OptionError(
        "mapping", "'" + g.wkt +
                       "' is mapped to wkt and other columns to x/y or lon/lat; "
                       "expected one geometry: either wkt, or x and y, or lon and lat");
  // An explicit wkt column wins over coordinate columns found by their names.
  int xi = (explicitLl && !explicitXy) || explicitWkt ? -1 : find(g.x, isXColumn);
  int yi = (explicitLl && !explicitXy) || explicitWkt ? -1 : find(g.y, isYColumn);
  int loni = (explicitXy && !explicitLl) || explicitWkt ? -1 : find(g.lon, isLonColumn);
  int lati = (explicitXy && !explicitLl) || explicitWkt ? -1 : find(g.lat, isLatColumn);
  CsvGeometryColumns c;
  c.wkti = find(g.wkt, [](const std::string& l) {
    return oneOf(l, {"wkt", "geom_wkt", "geometrie_wkt", "geometry_wkt"});
  });
  auto require = [&](const std::string& name, int idx) {
    if (!name.empty() && idx < 0)
      t.errors.push_back(
          {{path, std::nullopt, name},
           "the mapping names coordinate column '" + name + "', but the file has no such column"});
  };
  require(g.x, xi), require(g.y, yi), require(g.lon, loni), require(g.lat, lati),
      require(g.wkt, c.wkti);

  if (xi >= 0 && yi >= 0) {
    c.ci = xi, c.cj = yi;
    if (loni >= 0 && lati >= 0)
      t.warnings.push_back(
          {{path, std::nullopt, {}}, "the file has both x/y and lat/lon columns; x/y were used"});
  } else if (loni >= 0 && lati >= 0) {
    c.ci = loni, c.cj = lati;
    c.degrees = true;
  }
  return c;
}

/// The table's geometry description from its geometry columns: points in RD (x/y) or WGS 84
/// (lon/lat), WKT of any kind, or none.
void describeGeometry(SourceTable& t, const CsvGeometryColumns& c) {
  if (c.ci >= 0) {
    t.hasGeometry = true;
    t.geometryKind = GeometryKind::Point;
    t.geometryColumns = t.fields[c.ci] + ", " + t.fields[c.cj];
    t.geometryColumnNames = {t.fields[c.ci], t.fields[c.cj]};
    t.crs = veldwacht::geo::SpatialRefPtr(new OGRSpatialReference());
    t.crs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    t.crs->importFromEPSG(c.degrees ? 4326 : 28992);
    t.crsImplied = true;
  } else if (c.wkti >= 0) {
    t.hasGeometry = true;
    t.geometryKind = std::nullopt;
    t.geometryColumns = t.fields[c.wkti];
    t.geometryColumnNames = {t.fields[c.wkti]};
  } else {
    t.geometryKind = GeometryKind::None;
  }
}

/// The row's geometry from its coordinate or WKT columns, or why there is none.
void readRowGeometry(SourceRow& row, const SourceTable& t, const CsvGeometryColumns& c) {
  if (c.ci >= 0) {
    const auto* sx = std::get_if<std::string>(&row.values[c.ci]);
    const auto* sy = std::get_if<std::string>(&row.values[c.cj]);
    if (sx || sy) {
      const auto x = sx ? parseNumber(*sx) : std::nullopt;
      const auto y = sy ? parseNumber(*sy) : std::nullopt;
      if (!sx || !sy) {
        row.geometryError = "only one coordinate given; expected both " + t.geometryColumns;
      } else if (!x) {
        row.geometryError = "'" + t.fields[c.ci] + "' = '" + *sx + "' is not a finite number";
      } else if (!y) {
        row.geometryError = "'" + t.fields[c.cj] + "' = '" + *sy + "' is not a finite number";
      } else {
        row.geometry = GeometryPtr(new OGRPoint(*x, *y));
      }
    }
  } else if (c.wkti >= 0) {
    if (const auto* w = std::get_if<std::string>(&row.values[c.wkti])) {
      OGRGeometry* geom = nullptr;
      if (OGRGeometryFactory::createFromWkt(w->c_str(), nullptr, &geom) != OGRERR_NONE || !geom)
        row.geometryError = "'" + t.fields[c.wkti] + "' is not valid WKT";
      else
        row.geometry = GeometryPtr(geom);
    }
  }
}

SourceRow toSourceRow(CsvRow& r, const SourceTable& t, const CsvGeometryColumns& columns) {
  SourceRow row;
  row.row = r.row;
  row.values.reserve(r.values.size());
  for (auto& v : r.values) row.values.push_back(v.empty() ? Value{} : Value{std::move(v)});
  std::vector<std::string>().swap(r.values);  // the moved-from strings' capacity, now
  readRowGeometry(row, t, columns);
  return row;
}

SourceTable readCsvSource(const std::string& path, const SourceOptions& options,
                          veldwacht::geo::Progress& progress) {
  CsvOptions co;
  co.delimiter = options.csvDelimiter;
  SourceTable t;
  t.file = path;
  t.name = fs::path(path).stem().string();
  t.driver = "CSV";
  if (options.chunkRows > 0) {
    auto stream = std::make_shared<CsvStream>(path, co);
    t.fields = stream->header();
    t.encoding = stream->encoding();
    if (!stream->encodingWarning().empty())
      t.warnings.push_back({{path, std::nullopt, {}}, stream->encodingWarning()});
    checkUniqueColumns(t);
    const CsvGeometryColumns columns = findGeometryColumns(t, options);
    describeGeometry(t, columns);
    const std::size_t chunk = options.chunkRows;
    t.more = [stream, columns, chunk](SourceTable& table) {
      std::vector<CsvRow> rows;
      std::vector<CsvIssue> errors;
      table.rows.clear();
      const bool any = stream->next(rows, errors, chunk);
      for (const auto& e : errors) table.errors.push_back({{table.file, e.row, {}}, e.message});
      table.rows.reserve(rows.size());
      for (auto& r : rows) table.rows.push_back(toSourceRow(r, table, columns));
      table.readFraction = stream->fraction();
      return any;
    };
    t.more(t);
    return t;
  }
  CsvTable csv = readCsv(path, co, progress);
  t.fields = csv.header;
  t.encoding = csv.encoding;
  if (!csv.encodingWarning.empty())
    t.warnings.push_back({{path, std::nullopt, {}}, csv.encodingWarning});
  for (const auto& e : csv.errors) t.errors.push_back({{path, e.row, {}}, e.message});
  checkUniqueColumns(t);
  const CsvGeometryColumns columns = findGeometryColumns(t, options);
  describeGeometry(t, columns);
  for (auto& r : csv.rows) t.rows.push_back(toSourceRow(r, t, columns));
  return t;
}

// ---- GDAL/OGR ----

void checkShapefileParts(const std::string& path) {
  const fs::path p(path);
  auto sibling = [&](const char* lower, const char* upper) {
    std::error_code ec;
    fs::path a = p, b = p;
    a.replace_extension(lower);
    b.replace_extension(upper);
    return fs::exists(a, ec) || fs::exists(b, ec);
  };
  const Location where{path, std::nullopt, {}};
  if (!sibling(".shx", ".SHX"))
    throw InputError(where, "the shapefile's index " + p.stem().string() +
                                ".shx is missing; a shapefile needs its .shp, .shx and .dbf files "
                                "side by side");
  if (!sibling(".dbf", ".DBF"))
    throw InputError(where, "the shapefile's attribute table " + p.stem().string() +
                                ".dbf is missing; a shapefile needs its .shp, .shx and .dbf files "
                                "side by side");
}

/// When a shapefile has a .prj that GDAL did not take: why, for the report ("" when no .prj).
std::string unreadablePrj(const std::string& shp) {
  for (const char* ext : {".prj", ".PRJ", ".Prj"}) {
    const fs::path prj = fs::path(shp).replace_extension(ext);
    std::error_code ec;
    if (!fs::exists(prj, ec)) continue;
    std::ifstream in(prj, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.empty()) return "the .prj could not be read: " + prj.filename().string() + " is empty";
    OGRSpatialReference srs;
    const OGRErr err = srs.importFromWkt(text.c_str());
    std::string shown;
    for (char c : text.substr(0, 40)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
    return fmt::format(
        "the .prj could not be read: {} does not hold a CRS in WKT (starts with "
        "'{}'{}; OGR error {})",
        prj.filename().string(), shown, text.size() > 40 ? "..." : "", int(err));
  }
  return {};
}

std::vector<SourceTable> readVectorSource(const std::string& path, const SourceOptions& options,
                                          veldwacht::geo::Progress& progress) {
  const std::string ext = extensionOf(path);
  const Location where{path, std::nullopt, {}};
  if (ext == ".shp") checkShapefileParts(path);
  const std::vector<std::string> drivers = allowedDrivers(ext);
  std::vector<const char*> driverList;
  for (const auto& d : drivers) driverList.push_back(d.c_str());
  driverList.push_back(nullptr);

  veldwacht::geo::DatasetPtr ds;
  {
    FailureCapture capture;
    try {
      ds = veldwacht::geo::openDataset(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                       driverList.data());
    } catch (const veldwacht::geo::LibraryError&) {
      std::string why = capture.failures.empty() ? std::string("GDAL does not recognise it")
                                                 : capture.failures.back();
      throw InputError(where, "cannot be read as a " + formatName(ext) + " (" + why +
                                  "); expected a valid " + formatName(ext) +
                                  " file — is it truncated or another format?");
    }
  }
  // Shared with the tables' `more` (streaming), which read on after this returns.
  std::shared_ptr<GDALDataset> shared(std::move(ds));
  std::vector<SourceTable> tables;
  const int nLayers = shared->GetLayerCount();
  for (int li = 0; li < nLayers; ++li) {
    OGRLayer* layer = shared->GetLayer(li);
    if (!layer) continue;
    if (!options.onlyLayer.empty() && options.onlyLayer != layer->GetName()) continue;
    SourceTable t;
    t.file = path;
    t.name = layer->GetName();
    t.driver = shared->GetDriver() ? shared->GetDriver()->GetDescription() : "";
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
      t.fields.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    t.geometryKind = kindOf(layer->GetGeomType());
    t.hasGeometry = defn->GetGeomFieldCount() > 0;
    if (const OGRSpatialReference* srs = layer->GetSpatialRef()) {
      t.crs.reset(srs->Clone());
      t.crs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    }
    if (!t.crs && t.driver == "ESRI Shapefile") t.crsUnreadable = unreadablePrj(path);
    if (const char* enc = layer->GetMetadataItem("SOURCE_ENCODING", "SHAPEFILE")) t.encoding = enc;

    FailureCapture setupCapture;  // GDAL's messages are the source's, never the store's
    const GIntBig total = layer->GetFeatureCount(FALSE);
    layer->ResetReading();
    // Reads up to `limit` features into table.rows (0 = all); at the end, the read failures.
    auto readChunk = [layer, defn, total, n = std::int64_t(0), done = false, where, ext](
                         SourceTable& table, std::size_t limit) mutable {
      table.rows.clear();
      if (done) return false;
      FailureCapture capture;
      while (limit == 0 || table.rows.size() < limit) {
        veldwacht::geo::FeaturePtr f(layer->GetNextFeature());
        if (!f) {
          done = true;
          break;
        }
        ++n;
        SourceRow row;
        row.row = n;
        row.values.reserve(table.fields.size());
        for (int i = 0; i < defn->GetFieldCount(); ++i)
          row.values.push_back(fieldValue(*f, i, *defn->GetFieldDefn(i)));
        row.geometry = GeometryPtr(f->StealGeometry());
        table.rows.push_back(std::move(row));
      }
      for (const auto& msg : capture.failures)
        table.errors.push_back({where, "GDAL could not read the file completely: " + msg +
                                           "; expected an intact " + formatName(ext) +
                                           " (is it truncated?)"});
      if (done && total > 0 && n < total)
        table.errors.push_back(
            {where, fmt::format("only {} of the {} features announced in the header "
                                "could be read; the file is truncated",
                                n, total)});
      if (total > 0) table.readFraction = std::min(1.0, double(n) / double(total));
      return !table.rows.empty();
    };
    if (options.chunkRows > 0) {
      const std::size_t chunk = options.chunkRows;
      t.more = [readChunk, chunk, keep = shared](SourceTable& table) mutable {
        return readChunk(table, chunk);
      };
      t.more(t);
    } else {
      veldwacht::geo::ProgressStep step(progress, double(li) / nLayers, double(li + 1) / nLayers,
                                        "reading " + t.name);
      readChunk(t, 0);
      step.done();
    }
    for (const auto& msg : setupCapture.failures)
      t.errors.push_back({where, "GDAL could not read the file completely: " + msg +
                                     "; expected an intact " + formatName(ext) +
                                     " (is it truncated?)"});
    tables.push_back(std::move(t));
  }
  if (tables.empty() && !options.onlyLayer.empty())
    throw InputError(where, "has no layer '" + options.onlyLayer + "'");
  if (tables.empty()) throw InputError(where, "contains no vector layers");
  return tables;
}

}  // namespace

bool isXColumn(const std::string& l) {
  return oneOf(l, {"x", "x_rd", "rd_x", "xrd", "rdx", "xcoord", "x_coord", "xcoordinaat",
                   "x_coordinaat", "x-coordinaat", "x coordinaat", "coord_x", "x_rd_m",
                   "x_co\xC3\xB6rdinaat", "x-co\xC3\xB6rdinaat", "x co\xC3\xB6rdinaat"});
}
bool isYColumn(const std::string& l) {
  return oneOf(l, {"y", "y_rd", "rd_y", "yrd", "rdy", "ycoord", "y_coord", "ycoordinaat",
                   "y_coordinaat", "y-coordinaat", "y coordinaat", "coord_y", "y_rd_m",
                   "y_co\xC3\xB6rdinaat", "y-co\xC3\xB6rdinaat", "y co\xC3\xB6rdinaat"});
}
bool isLonColumn(const std::string& l) {
  return oneOf(l, {"lon", "lng", "long", "longitude", "lengtegraad", "lon_wgs84", "wgs84_lon"});
}
bool isLatColumn(const std::string& l) {
  return oneOf(l, {"lat", "latitude", "breedtegraad", "lat_wgs84", "wgs84_lat"});
}

std::vector<SourceTable> readSource(const std::string& path, const SourceOptions& options,
                                    veldwacht::geo::Progress& progress) {
  veldwacht::geo::ensureGdalRegistered();
  const Location where{path, std::nullopt, {}};
  std::error_code ec;
  if (!fs::exists(path, ec)) throw InputError(where, "file does not exist");
  if (fs::is_directory(path, ec))
    throw InputError(where, "is a directory; expected a file (for a shapefile give the .shp)");
  if (fs::file_size(path, ec) == 0 && !ec)
    throw InputError(where,
                     "the file is empty (0 bytes); expected a CSV, GeoJSON, GeoPackage or "
                     "shapefile");
  const std::string ext = extensionOf(path);
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv") {
    std::vector<SourceTable> out;
    out.push_back(readCsvSource(path, options, progress));
    return out;
  }
  const auto& g = options.csvGeometry;
  for (const auto& [target, column] : {std::pair<const char*, const std::string&>{"x", g.x},
                                       {"y", g.y},
                                       {"lon", g.lon},
                                       {"lat", g.lat},
                                       {"wkt", g.wkt}})
    if (!column.empty())
      throw veldwacht::geo::OptionError(
          "mapping", "'" + column + "' is mapped to " + target + ", but a " + formatName(ext) +
                         " carries its own geometry; geometry columns (x, y, lon, lat, wkt) can "
                         "only be mapped in CSV files");
  return readVectorSource(path, options, progress);
}

}  // namespace veldwacht::layers
