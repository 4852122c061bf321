// Fast input and output for the Processing algorithms (issue 8, "fast paths inside QGIS").
//
// Read: when the input is a file-backed OGR layer (GeoPackage, Shapefile, GeoJSON, CSV) without
// a subset string, without "selected features only" or a feature limit, with point geometries
// and plain field types, its points are read directly (only the fields asked for) instead of
// through QgsFeatureSource, which builds a QgsFeature and a QgsGeometry per row: a GeoPackage
// table straight from SQLite (geo::readGpkgPoints, one SELECT; GDAL 3.6 has no fast Arrow reader
// for GeoPackage), other files with GDAL's feature API (SetIgnoredFields drops the other fields).
// Otherwise the QgsFeatureSource path is taken. All give the same PointTable: the points in
// EPSG:28992 (transformed with the context's transform), the input fields exactly as QGIS shows
// them (a GeoPackage's fid column included), and the values.
//
// Write: when the output goes to a GeoPackage file (one the user names, or Processing's
// temporary .gpkg), rows go through geo::GpkgWriter (one transaction, bulk R-tree) and the file
// is handed to QGIS like a sink's; other destinations go through the QgsFeatureSink. Progress
// and cancel work on every path; a cancelled GeoPackage output is removed.
#pragma once

#include <qgsfields.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>

#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/gpkg_writer.h"
#include "geo/core/point_sink.h"
#include "geo/core/progress.h"
#include "geo/core/text_column.h"
#include "geo/core/types.h"
#include "plugin/qgiscompat.h"

namespace veldwacht::plugin {

/// Points of an input layer with (some of) its attributes, column by column.
struct PointTable {
  std::vector<geo::Point> points;         ///< EPSG:28992
  std::vector<std::int64_t> ids;          ///< feature id per point (for messages)
  QgsFields fields;                       ///< the columns read, as QGIS shows the input's fields
  std::vector<geo::GpkgFieldType> types;  ///< parallel to fields
  std::vector<std::vector<geo::GpkgValue>> columns;  ///< [field][point]
  /// FieldSelection::keyText's values as text (layers::keyText), per point; its column is then
  /// empty. Empty when no key text was asked for or the field is absent.
  geo::TextColumn keyTexts;
  /// FieldSelection::timeSeconds's values as timeOf gives them from the column, kNoTime where
  /// that is none, per point; its column is then empty. Filled on the GeoPackage path only.
  std::vector<geo::TimeSeconds> times;
  long long skipped = 0;  ///< features without a usable point (reported one by one)
  bool direct = false;    ///< read with GDAL directly (the fast path)

  /// Index of field `name` (case-insensitive), -1 when absent.
  int column(const QString& name) const;
  /// Keeps only the rows whose `keep` flag is set (points, ids, every column).
  void keepRows(const std::vector<bool>& keep);
};

/// One weight per point from numeric column `field` of `in`; invalid or negative values count
/// as 0 and are reported. An empty `field` gives no weights; a missing one throws.
std::vector<double> tableWeights(const PointTable& in, const QString& field,
                                 QgsProcessingFeedback* feedback);

/// Which input fields to read: all of them, or the named ones (missing names are ignored; the
/// caller checks what it needs).
struct FieldSelection {
  bool all = false;
  QStringList names;
  /// One of `names` wanted only as text (a key): read into PointTable::keyTexts, never held as
  /// a column of GpkgValues (40 bytes a point) beside its text. Empty: none.
  QString keyText;
  /// One of `names` wanted only as a time (a Date or DateTime field): read into
  /// PointTable::times on the GeoPackage path, never held as a column of GpkgValues and texts
  /// (72 bytes a point). Empty: none.
  QString timeSeconds;
};

/// PointTable::times where the value is NULL or not an ISO date or datetime.
inline constexpr geo::TimeSeconds kNoTime = std::numeric_limits<geo::TimeSeconds>::min();

/// A Date or DateTime value of a column as seconds (naive clock, a trailing Z dropped); none for
/// NULL or a text that is not an ISO date or datetime.
std::optional<geo::TimeSeconds> timeOf(const geo::GpkgValue& v);

/// Reads input `name` of `algorithm` as points (other geometries: their centroid, on the
/// QgsFeatureSource path only). Progress [begin, end) of the feedback; throws
/// geo::CancelledError on cancel.
PointTable readPointTable(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                          const QString& name, QgsProcessingContext& context,
                          QgsProcessingFeedback* feedback, const FieldSelection& fields,
                          double begin, double end);

/// The GDAL-readable file behind input `name`, when the fast read path applies (exposed for tests).
struct DirectInput {
  QString path;
  QString layerName;  ///< empty: layer `layerIndex`
  int layerIndex = 0;
  QgsFields fields;         ///< the QgsVectorLayer's fields
  bool fidIsField = false;  ///< fields[0] is the OGR FID column (GeoPackage)
  QgsCoordinateReferenceSystem crs;
  QString driver;  ///< OGR driver ("GPKG": read straight from SQLite)
};
std::optional<DirectInput> directInput(const QgsProcessingAlgorithm& algorithm,
                                       const QVariantMap& parameters, const QString& name,
                                       QgsProcessingContext& context, QString* whyNot = nullptr);

/// Input `name` as streamPoints reads it: a GeoPackage point table with a fid column, read
/// straight from SQLite (readPointTable's fast path), with the numeric `weightField` (empty:
/// none).
struct PointStreamSource {
  DirectInput in;
  geo::GpkgPointReadOptions options;
  QString weightField;
};

/// The source streamPoints reads for input `name`, or nullopt (saying why in a debug line) when
/// that path does not apply: not such a table, or a weight field that is not numeric. Reads no
/// rows.
std::optional<PointStreamSource> pointStreamSource(
    const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters, const QString& name,
    QgsProcessingContext& context, QgsProcessingFeedback* feedback, const QString& weightField);

/// Streams the points of `source` into `sink` as they are read, holding none of them,
/// transformed to EPSG:28992. Each point's weight (1 without a weight field) is checked as the
/// plugin's point input checks it (InputError naming `table`, the fid and the field for a NULL,
/// negative or non-finite weight). Rows without a finite point are skipped and reported; returns
/// how many. CancelledError on cancel.
long long streamPoints(const PointStreamSource& source, QgsProcessingContext& context,
                       QgsProcessingFeedback* feedback, const std::string& table,
                       geo::PointSink& sink, geo::Progress& progress);

/// A column the output adds after the copied input fields.
struct OutputColumn {
  QgsField field;
  geo::GpkgFieldType type;
  std::function<geo::GpkgValue(std::size_t)> value;  ///< value for point i
};

/// Writes one point per row of `in` (its columns, then `extra`) to output `name`. A GeoPackage
/// file destination goes through geo::GpkgWriter, others through the sink. Styles the output on
/// load with styles/<style> when given. Returns the destination ("" for an optional output not
/// asked for). Progress [begin, end).
QString writePointTable(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                        const QString& name, QgsProcessingContext& context,
                        QgsProcessingFeedback* feedback, const PointTable& in,
                        const std::vector<OutputColumn>& extra, const QString& style, double begin,
                        double end);

/// The GeoPackage file output `name` goes to when the fast writer applies, registered for
/// loading on completion as a sink's would be; nullopt when the destination is something else
/// (then nothing is registered). `parameters` may be updated (a temporary output's file name).
std::optional<QString> gpkgDestination(const QgsProcessingAlgorithm& algorithm,
                                       QVariantMap& parameters, const QString& name,
                                       QgsProcessingContext& context);

/// Value conversions between QGIS and the writer.
geo::GpkgFieldType gpkgType(const QgsField& field);
geo::GpkgValue toGpkgValue(const QVariant& v, geo::GpkgFieldType type);
QVariant toVariant(const geo::GpkgValue& v, const QgsField& field);

}  // namespace veldwacht::plugin
