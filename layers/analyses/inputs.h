// Reading analysis inputs from the store: the points (with natural keys, times, weights,
// categories and sources) that the core algorithms take as spans, and polygons as WKB for
// masks, study areas and per-polygon counts. The plugin's adapters use the same conventions.
//
// Times: DATE and DATETIME values are ISO text without a time zone (docs/schema.md: local Dutch
// time as reported). They become seconds on a naive clock (as if UTC), which keeps every
// difference and every calendar boundary right; no time-zone conversion is done.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/text_column.h"
#include "geo/core/types.h"
#include "layers/schema/schema.h"
#include "layers/store/store.h"

namespace veldwacht::geo {
class PointPasses;  // geo/density/kde.h
}  // namespace veldwacht::geo

namespace veldwacht::layers {

/// Which points an analysis takes: a layer of the store, an optional OGR SQL filter and an
/// optional numeric weight field.
struct PointSelection {
  std::string layer = "signalen";
  std::string where;        ///< OGR attribute filter (SQL WHERE syntax); empty = all rows
  std::string weightField;  ///< numeric field whose values weigh the points; empty = 1 each
  /// Only the points inside this rectangle (EPSG:28992, edges included); empty = the whole
  /// layer. The store finds them through its spatial index (GeoPackage R-tree, PostGIS GiST)
  /// together with the filter, so only those rows are read.
  geo::Extent bbox{};

  /// "signalen", "signalen [categorie = 'HENNEP']" or "signalen [bbox 120000,440000,170000,
  /// 480000; categorie = 'HENNEP']", for metadata and messages.
  std::string describe() const;
};

/// "X,Y" in EPSG:28992 metres → a point; OptionError(option) otherwise.
geo::Point parseXy(const std::string& text, const std::string& option);
/// A point as "X,Y" (shortest exact text); "" for a point not given.
std::string formatXy(const geo::Point& p);
/// "MINX,MINY,MAXX,MAXY" in EPSG:28992 metres → a rectangle (--bbox); OptionError(option)
/// for anything else, also for MIN > MAX.
geo::Extent parseBbox(const std::string& text, const std::string& option = "bbox");
/// A rectangle as "MINX,MINY,MAXX,MAXY" (shortest exact text); "" for an empty one.
std::string formatBbox(const geo::Extent& e);

/// The selected rows as parallel arrays (one entry per row, in feature-id order).
struct PointInput {
  std::string layer;
  std::string where;
  geo::Extent bbox{};              ///< the selection's rectangle; empty = the whole layer
  std::vector<geo::Point> points;  ///< polygons give their centroid
  /// The layer's natural key per row (e.g. signaal_id; keyText of its value), packed: 14
  /// instead of 32 MB at 1M six-character keys.
  geo::TextColumn keys;
  /// Seconds (naive clock, see above). Empty when the layer has no time. signalen:
  /// waargenomen_van / waargenomen_tot (tot NULL = the moment van); incidenten: datum.
  std::vector<geo::TimeSeconds> timeFrom;
  std::vector<geo::TimeSeconds> timeTo;
  std::vector<double> weights;  ///< empty without a weight field
  /// Category per row as an index into categoryNames (-1 = NULL); empty when the layer has
  /// none. signalen: categorie; incidenten: misdrijf_code; vab: leegstand.
  std::vector<std::int64_t> categories;
  std::vector<std::string> categoryNames;
  /// Source per row (signalen: brontype) as an index into sourceNames; empty otherwise.
  std::vector<std::int64_t> sources;
  std::vector<std::string> sourceNames;

  std::size_t size() const { return points.size(); }
  bool hasTime() const { return !timeFrom.empty(); }
};

/// A key value as text, the same in every host (the store's readers, the plugin's): text as it
/// is, an integer in decimal, a real as the shortest text that reads back as the same number
/// (so a whole number as an integer: 42.0 → "42", -0.0 → "0"; 0.1 → "0.1", 123456789.5 →
/// "123456789.5", 1e21 → "1e+21"), NULL as "".
std::string keyText(const Value& v);

/// A point's weight as every reader checks it: none (NULL or not a number) and negative or
/// non-finite values are an InputError at `where` (table, row, weight field).
double checkedWeight(std::optional<double> weight, const geo::Location& where);

/// Reads the selection. Throws OptionError for an unknown layer, a layer without geometry, a
/// bad filter or a missing / non-numeric weight field; InputError when the selection is empty
/// or a weight is NULL or negative.
PointInput readPoints(Store& store, const PointSelection& selection,
                      geo::Progress& progress = geo::nullProgress());

/// readPoints of a GeoPackage store's point layer reads column-wise (Store::readPointColumns:
/// one SELECT, only the fields a PointInput holds), with the record path (Store::read) for
/// other stores and for selections that hold a row without a point or an odd value; both give
/// the same PointInput. `false` takes the record path always: for tests and benchmarks.
void setColumnPointReads(bool on);
/// readPoints' column-wise path alone: nullopt where readPoints takes the record path (another
/// store, a selection with a bbox, a row without a point, an odd value, an empty selection).
/// For tests.
std::optional<PointInput> readPointsByColumns(Store& store, const PointSelection& selection,
                                              geo::Progress& progress = geo::nullProgress());

/// Polygons of a (Multi)Polygon layer, with their natural keys and records.
struct PolygonInput {
  std::string layer;
  std::vector<std::vector<std::uint8_t>> wkb;  ///< ISO WKB, little endian
  std::vector<std::string> keys;
  std::vector<Record> records;  ///< values parallel to layerDef(layer).fields
};

/// Reads polygons (e.g. gemeenten as study area, bedrijventerreinen as mask or as units to
/// count in). Throws OptionError for an unknown or non-polygon layer or a bad filter,
/// InputError when nothing is selected.
PolygonInput readPolygons(Store& store, const std::string& layer, const std::string& where = {});

/// Polygon units read by a host: the polygons to count in (polygoncount) or whose numeric field
/// is analysed (hot spots with a value field), with a key, a display name and the value per
/// polygon. The store host fills them with readPolygonUnits, the plugin from any QGIS layer.
struct PolygonUnits {
  std::string layer;
  std::string where;
  std::vector<std::vector<std::uint8_t>> wkb;  ///< ISO WKB, little endian
  std::vector<std::string> keys;
  std::vector<std::string> names;  ///< plan_naam / naam; "" = NULL
  /// The value field per polygon (nullopt = NULL); empty when no value field was asked for.
  std::vector<std::optional<double>> values;
};

/// readPolygons with the names (plan_naam, else naam) and, when `valueField` is given, its
/// values. Throws OptionError("value-field") when it is not a numeric field of the layer.
PolygonUnits readPolygonUnits(Store& store, const std::string& layer, const std::string& where,
                              const std::string& valueField = {});

/// Everything a result builder takes besides its request, read by a host: the CLI from the
/// store (the runners' read step), the plugin from QGIS layers (plugin/processing/described).
struct AnalysisInputs {
  std::optional<PointInput> points;       ///< the input points (absent for polygon units)
  std::optional<PointInput> denominator;  ///< dual KDE, rates
  /// The mask / study-area polygons (WKB); empty = no mask.
  std::vector<std::vector<std::uint8_t>> mask;
  std::optional<PolygonUnits> polygons;  ///< polygoncount, hot spots of a polygon field
};

/// The input points as a host streams them, never all held (the plugin reading a GeoPackage):
/// passes over them in input order, the extent of the finite ones (known before the first
/// pass), and what they are (`about`: layer, filter, bbox; its arrays stay empty).
struct StreamedPoints {
  geo::PointPasses& passes;
  geo::Extent extent;
  std::size_t count = 0;
  PointInput about;
};

/// Just the WKB of readPolygons.
std::vector<std::vector<std::uint8_t>> readPolygonsWkb(Store& store, const std::string& layer,
                                                       const std::string& where = {});

/// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (a space instead of T is accepted) → seconds on the
/// naive clock; nullopt for anything else (also impossible dates).
std::optional<geo::TimeSeconds> parseIsoTime(std::string_view text);
/// Back to `YYYY-MM-DDTHH:MM:SS`.
std::string formatIsoDateTime(geo::TimeSeconds t);
/// `YYYY-MM-DD` of the day holding t.
std::string formatIsoDate(geo::TimeSeconds t);

}  // namespace veldwacht::layers

namespace veldwacht::layers {

/// The union of polygons as one WKB (multi)polygon, e.g. a study area of several gemeenten.
/// Throws LibraryError when GDAL/GEOS cannot union them.
std::vector<std::uint8_t> unionWkb(const std::vector<std::vector<std::uint8_t>>& polygons);

}  // namespace veldwacht::layers
