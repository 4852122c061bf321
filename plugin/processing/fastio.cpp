#include "plugin/processing/fastio.h"

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsfeaturesink.h>
#include <qgsprocessingparameters.h>
#include <qgsprocessingutils.h>
#include <qgsproviderregistry.h>
#include <qgsvectordataprovider.h>
#include <qgsvectorlayer.h>

#include <QCoreApplication>
#include <QDate>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <sqlite3.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <span>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "geo/core/memory.h"
#include "layers/analyses/inputs.h"
#include "plugin/processing/common.h"

namespace veldwacht::plugin {

namespace {

constexpr long long kProgressEvery = 4096;
constexpr std::size_t kTransformChunk = 65536;

/// lupdate files the strings of this file's tr() calls under the enclosing namespace's context
/// (plugin/i18n/veldwacht_nl.ts: "veldwacht::plugin"), so they are looked up there; the
/// "Veldwacht" context holds only the literal QCoreApplication::translate calls.
QString tr(const char* text) { return QCoreApplication::translate("veldwacht::plugin", text); }

/// The warning for a feature whose point is not finite in EPSG:28992, from either reader (at
/// namespace scope, so lupdate files it under "veldwacht::plugin" as tr() looks it up).
QString noFiniteCoordinates(std::int64_t fid) {
  return tr("Feature %1 has no finite coordinates in EPSG:28992; skipped").arg(qint64(fid));
}

void report(QgsProcessingFeedback* feedback, const QString& message) {
  if (feedback) feedback->reportError(message, false);
}

/// VELDWACHT_FAST_IO=0 turns both fast paths off (QgsFeatureSource in, sink out): for
/// comparisons in tests and benchmarks.
bool fastIoEnabled() { return qEnvironmentVariable("VELDWACHT_FAST_IO") != QLatin1String("0"); }

bool isFidField(const QgsField& f) {
  return f.name().compare(QLatin1String("fid"), Qt::CaseInsensitive) == 0 &&
         (f.type() == QVariant::Int || f.type() == QVariant::LongLong);
}

}  // namespace

// ---- conversions ----------------------------------------------------------------------------

geo::GpkgFieldType gpkgType(const QgsField& field) {
  switch (field.type()) {
    case QVariant::Int:
      return geo::GpkgFieldType::Int32;
    case QVariant::Bool:
      return geo::GpkgFieldType::Boolean;
    case QVariant::LongLong:
    case QVariant::UInt:
    case QVariant::ULongLong:
      return geo::GpkgFieldType::Int64;
    case QVariant::Double:
      return geo::GpkgFieldType::Real;
    case QVariant::Date:
      return geo::GpkgFieldType::Date;
    case QVariant::DateTime:
      return geo::GpkgFieldType::DateTime;
    default:
      return geo::GpkgFieldType::Text;
  }
}

geo::GpkgValue toGpkgValue(const QVariant& v, geo::GpkgFieldType type) {
  if (compat::isNullValue(v)) return {};
  switch (type) {
    case geo::GpkgFieldType::Int32:
    case geo::GpkgFieldType::Int64:
      return std::int64_t(v.toLongLong());
    case geo::GpkgFieldType::Boolean:
      return std::int64_t(v.toBool() ? 1 : 0);
    case geo::GpkgFieldType::Real:
      return v.toDouble();
    case geo::GpkgFieldType::Date:
      return v.toDate().toString(Qt::ISODate).toStdString();
    case geo::GpkgFieldType::DateTime: {
      const QDateTime dt = v.toDateTime();
      QString s = dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"));
      if (dt.timeSpec() == Qt::UTC) s += QLatin1Char('Z');
      return s.toStdString();
    }
    case geo::GpkgFieldType::Text:
      return v.toString().toStdString();
  }
  return {};
}

QVariant toVariant(const geo::GpkgValue& v, const QgsField& field) {
  if (std::holds_alternative<std::monostate>(v)) return QVariant(field.type());
  if (const auto* n = std::get_if<std::int64_t>(&v)) {
    if (field.type() == QVariant::Bool) return QVariant(*n != 0);
    return QVariant(qlonglong(*n));
  }
  if (const auto* d = std::get_if<double>(&v)) return QVariant(*d);
  const QString s = QString::fromStdString(std::get<std::string>(v));
  if (field.type() == QVariant::Date) return QDate::fromString(s, Qt::ISODate);
  if (field.type() == QVariant::DateTime) return QDateTime::fromString(s, Qt::ISODateWithMs);
  return s;
}

// ---- PointTable -----------------------------------------------------------------------------

int PointTable::column(const QString& name) const { return fields.lookupField(name); }

void PointTable::keepRows(const std::vector<bool>& keep) {
  std::size_t out = 0;
  const bool withKeys = !keyTexts.empty(), withTimes = !times.empty();
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!keep[i]) continue;
    points[out] = points[i];
    ids[out] = ids[i];
    for (auto& c : columns)
      if (!c.empty()) c[out] = std::move(c[i]);  // a key read as text has an empty column
    if (withTimes) times[out] = times[i];
    ++out;
  }
  points.resize(out);
  ids.resize(out);
  for (auto& c : columns)
    if (!c.empty()) c.resize(out);
  if (withKeys) keyTexts.keepOnly(keep);
  if (withTimes) times.resize(out);
}

std::optional<geo::TimeSeconds> timeOf(const geo::GpkgValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  if (!s) return std::nullopt;
  std::string t = *s;
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  return layers::parseIsoTime(t);
}

std::vector<double> tableWeights(const PointTable& in, const QString& field,
                                 QgsProcessingFeedback* feedback) {
  if (field.isEmpty()) return {};
  const int idx = in.column(field);
  if (idx < 0)
    throw QgsProcessingException(
        QCoreApplication::translate("Veldwacht", "Weight field %1 not found").arg(field));
  std::vector<double> weights;
  weights.reserve(in.points.size());
  const auto& column = in.columns[std::size_t(idx)];
  for (std::size_t i = 0; i < in.points.size(); ++i) {
    double w = std::numeric_limits<double>::quiet_NaN();
    if (const auto* n = std::get_if<std::int64_t>(&column[i])) w = double(*n);
    if (const auto* d = std::get_if<double>(&column[i])) w = *d;
    const bool valid = std::isfinite(w) && w >= 0;
    if (!valid && feedback)
      feedback->reportError(
          QCoreApplication::translate("Veldwacht", "Feature %1 has no valid weight; it counts as 0")
              .arg(in.ids[i]),
          false);
    weights.push_back(valid ? w : 0.0);
  }
  return weights;
}

// ---- read: which inputs GDAL reads directly ------------------------------------------------

std::optional<DirectInput> directInput(const QgsProcessingAlgorithm& algorithm,
                                       const QVariantMap& parameters, const QString& name,
                                       QgsProcessingContext& context, QString* whyNot) {
  const auto no = [whyNot](const QString& why) -> std::optional<DirectInput> {
    if (whyNot) *whyNot = why;
    return std::nullopt;
  };
  const QVariant value = parameters.value(name);
  if (value.canConvert<QgsProcessingFeatureSourceDefinition>()) {
    const auto def = qvariant_cast<QgsProcessingFeatureSourceDefinition>(value);
    if (def.selectedFeaturesOnly) return no(QStringLiteral("selected features only"));
    if (def.featureLimit >= 0) return no(QStringLiteral("feature limit"));
    if (def.flags & QgsProcessingFeatureSourceDefinition::FlagOverrideDefaultGeometryCheck)
      return no(QStringLiteral("own invalid-geometry handling"));
  }
  const QgsProcessingParameterDefinition* def = algorithm.parameterDefinition(name);
  QgsVectorLayer* layer = QgsProcessingParameters::parameterAsVectorLayer(def, parameters, context);
  if (!layer || !layer->isValid()) return no(QStringLiteral("not a vector layer"));
  if (layer->providerType() != QLatin1String("ogr")) return no(QStringLiteral("not OGR"));
  if (!layer->subsetString().isEmpty()) return no(QStringLiteral("subset string"));
  if (layer->geometryType() != QgsWkbTypes::PointGeometry) return no(QStringLiteral("not points"));
  const QString driver = layer->dataProvider()->storageType();
  static const QStringList kDrivers{QStringLiteral("GPKG"), QStringLiteral("ESRI Shapefile"),
                                    QStringLiteral("GeoJSON"), QStringLiteral("CSV")};
  if (!kDrivers.contains(driver)) return no(QStringLiteral("driver ") + driver);
  const QVariantMap uri =
      QgsProviderRegistry::instance()->decodeUri(QStringLiteral("ogr"), layer->source());
  DirectInput in;
  in.path = uri.value(QStringLiteral("path")).toString();
  in.layerName = uri.value(QStringLiteral("layerName")).toString();
  in.layerIndex = uri.value(QStringLiteral("layerId"), 0).toInt();
  if (!uri.value(QStringLiteral("subset")).toString().isEmpty())
    return no(QStringLiteral("subset in the source"));
  if (in.path.isEmpty() || !QFileInfo(in.path).isFile()) return no(QStringLiteral("not a file"));
  in.fields = layer->fields();
  in.crs = layer->crs();
  in.driver = driver;
  for (const QgsField& f : in.fields) {
    switch (f.type()) {
      case QVariant::Int:
      case QVariant::Bool:
      case QVariant::LongLong:
      case QVariant::Double:
      case QVariant::String:
      case QVariant::Date:
      case QVariant::DateTime:
        break;
      default:
        return no(QStringLiteral("field type of ") + f.name());
    }
  }
  return in;
}

namespace {

/// The OGR layer behind `in`, checked against the fields QGIS shows.
OGRLayer* openLayer(GDALDataset& ds, DirectInput& in) {
  OGRLayer* layer = in.layerName.isEmpty() ? ds.GetLayer(in.layerIndex)
                                           : ds.GetLayerByName(in.layerName.toUtf8().constData());
  if (!layer) return nullptr;
  OGRFeatureDefn* defn = layer->GetLayerDefn();
  const int ogrCount = defn->GetFieldCount();
  const QString fidColumn = QString::fromUtf8(layer->GetFIDColumn());
  in.fidIsField = !fidColumn.isEmpty() && in.fields.count() == ogrCount + 1 &&
                  in.fields.at(0).name() == fidColumn;
  if (in.fields.count() != ogrCount + (in.fidIsField ? 1 : 0)) return nullptr;
  for (int i = 0; i < ogrCount; ++i)
    if (QString::fromUtf8(defn->GetFieldDefn(i)->GetNameRef()) !=
        in.fields.at(i + (in.fidIsField ? 1 : 0)).name())
      return nullptr;
  return layer;
}

geo::GpkgValue ogrValue(OGRFeature& f, int i, geo::GpkgFieldType type) {
  if (!f.IsFieldSetAndNotNull(i)) return {};
  switch (type) {
    case geo::GpkgFieldType::Int32:
    case geo::GpkgFieldType::Int64:
    case geo::GpkgFieldType::Boolean:
      return std::int64_t(f.GetFieldAsInteger64(i));
    case geo::GpkgFieldType::Real:
      return f.GetFieldAsDouble(i);
    case geo::GpkgFieldType::Date: {
      int y = 0, m = 0, d = 0, h = 0, mi = 0, tz = 0;
      float s = 0;
      f.GetFieldAsDateTime(i, &y, &m, &d, &h, &mi, &s, &tz);
      return QDate(y, m, d).toString(Qt::ISODate).toStdString();
    }
    case geo::GpkgFieldType::DateTime: {
      int y = 0, m = 0, d = 0, h = 0, mi = 0, tz = 0;
      float s = 0;
      f.GetFieldAsDateTime(i, &y, &m, &d, &h, &mi, &s, &tz);
      const int ms = int(std::lround(double(s) * 1000.0));
      QString out = QDateTime(QDate(y, m, d), QTime(h, mi).addMSecs(ms))
                        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"));
      if (tz == 100) out += QLatin1Char('Z');
      return out.toStdString();
    }
    case geo::GpkgFieldType::Text:
      return std::string(f.GetFieldAsString(i));
  }
  return {};
}

/// Transforms points [from, to) of `in` in place; a point that fails is marked NaN.
void transformChunk(const QgsCoordinateTransform& t, std::vector<geo::Point>& pts, std::size_t from,
                    std::size_t to) {
  QVector<double> x(int(to - from)), y(int(to - from)), z(int(to - from), 0.0);
  for (std::size_t i = from; i < to; ++i) {
    x[int(i - from)] = pts[i].x;
    y[int(i - from)] = pts[i].y;
  }
  try {
    t.transformInPlace(x, y, z);
  } catch (const QgsCsException&) {
    for (std::size_t i = from; i < to; ++i) {  // one by one: only the failing points are lost
      double px = pts[i].x, py = pts[i].y, pz = 0;
      try {
        t.transformInPlace(px, py, pz);
      } catch (const QgsCsException&) {
        px = py = std::nan("");
      }
      x[int(i - from)] = px;
      y[int(i - from)] = py;
    }
  }
  for (std::size_t i = from; i < to; ++i) pts[i] = {x[int(i - from)], y[int(i - from)]};
}

/// To EPSG:28992 with the project's transform context, as QgsGeometry::transform would; points
/// without finite coordinates afterwards are reported and dropped.
void toWorkingCrs(PointTable& t, const DirectInput& in, QgsProcessingContext& context,
                  QgsProcessingFeedback* feedback) {
  const QgsCoordinateTransform transform(in.crs, workingCrs(), context.transformContext());
  if (transform.isValid() && !transform.isShortCircuited()) {
    for (std::size_t from = 0; from < t.points.size(); from += kTransformChunk) {
      if (feedback && feedback->isCanceled()) throw geo::CancelledError();
      transformChunk(transform, t.points, from, std::min(t.points.size(), from + kTransformChunk));
    }
  }
  std::vector<bool> keep(t.points.size(), true);
  bool dropped = false;
  for (std::size_t i = 0; i < t.points.size(); ++i) {
    if (std::isfinite(t.points[i].x) && std::isfinite(t.points[i].y)) continue;
    keep[i] = false;
    dropped = true;
    ++t.skipped;
    report(feedback, noFiniteCoordinates(t.ids[i]));
  }
  if (dropped) t.keepRows(keep);
}

/// A Date or DateTime as the OGR path gives it (see ogrValue) from the text GDAL stored.
geo::GpkgValue normalisedDateValue(geo::GpkgValue v, geo::GpkgFieldType type) {
  const auto* s = std::get_if<std::string>(&v);
  if (!s) return v;
  const QString text = QString::fromStdString(*s);
  if (type == geo::GpkgFieldType::Date)
    return QDate::fromString(text.left(10), Qt::ISODate).toString(Qt::ISODate).toStdString();
  const QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
  QString out = dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"));
  if (dt.isValid() && dt.timeSpec() == Qt::UTC) out += QLatin1Char('Z');
  return out.toStdString();
}

/// Takes the fields of each row as the GeoPackage scan reads them: field `key` straight into its
/// text (no GpkgValue held for it), field `time` (of type `timeType`) straight into seconds as
/// normalisedDateValue and timeOf give them, every other field into its column. `key` and
/// `time` may be npos (none).
class TableRowSink final : public geo::GpkgRowSink {
 public:
  TableRowSink(std::vector<std::vector<geo::GpkgValue>>& columns, geo::TextColumn& keys,
               std::size_t key, std::vector<geo::TimeSeconds>& times, std::size_t time,
               geo::GpkgFieldType timeType)
      : columns_(columns),
        keys_(keys),
        key_(key),
        times_(times),
        time_(time),
        timeType_(timeType) {}
  void expect(std::size_t rows) override {
    for (std::size_t i = 0; i < columns_.size(); ++i)
      if (i != key_ && i != time_) geo::reserveLarge(columns_[i], rows);
    if (key_ != kNone) geo::reserveLarge(keys_.ends, rows);
    if (time_ != kNone) geo::reserveLarge(times_, rows);
  }
  bool row(std::span<const geo::GpkgCell> cells) override {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i == time_)
        times_.push_back(
            timeOf(normalisedDateValue(valueOf(cells[i]), timeType_)).value_or(kNoTime));
      else if (i != key_)
        columns_[i].push_back(valueOf(cells[i]));
      else if (cells[i].kind == geo::GpkgCell::Kind::Text)
        keys_.push_back(cells[i].text);
      else
        keys_.push_back(layers::keyText(valueOf(cells[i])));
    }
    return true;
  }
  static constexpr std::size_t kNone = std::size_t(-1);

 private:
  static geo::GpkgValue valueOf(const geo::GpkgCell& c) {
    switch (c.kind) {
      case geo::GpkgCell::Kind::Null:
        return {};
      case geo::GpkgCell::Kind::Integer:
        return c.integer;
      case geo::GpkgCell::Kind::Real:
        return c.real;
      case geo::GpkgCell::Kind::Text:
        return std::string(c.text);
    }
    return {};
  }
  std::vector<std::vector<geo::GpkgValue>>& columns_;
  geo::TextColumn& keys_;
  std::size_t key_;
  std::vector<geo::TimeSeconds>& times_;
  std::size_t time_;
  geo::GpkgFieldType timeType_;
};

/// Moves field `keyText` of `t` (when read as a column) into t.keyTexts: the paths that do not
/// read it as text straight away give the same table.
void keyColumnToText(PointTable& t, const QString& keyText) {
  if (keyText.isEmpty() || !t.keyTexts.empty()) return;
  const int c = t.column(keyText);
  if (c < 0) return;
  std::vector<geo::GpkgValue>& column = t.columns[std::size_t(c)];
  if (column.empty()) return;
  geo::reserveLarge(t.keyTexts.ends, column.size());
  for (const geo::GpkgValue& v : column) t.keyTexts.push_back(layers::keyText(v));
  std::vector<geo::GpkgValue>().swap(column);
}

using SqliteReader = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

/// A read-only SQLite connection of our own to the GeoPackage behind `in`.
SqliteReader openSqlite(const DirectInput& in) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(in.path.toUtf8().constData(), &raw,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteReader db(raw, sqlite3_close);
  if (rc != SQLITE_OK)
    throw geo::InputError(
        {in.path.toStdString(), std::nullopt, ""},
        std::string("cannot open as SQLite: ") + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

/// A GeoPackage table straight from SQLite (geo::readGpkgPoints): the same table as the OGR
/// loop below gives, without an OGRFeature per row. A key field asked for as text (not the fid,
/// not a date) is turned into text as it is read, a Date or DateTime field asked for as a time
/// into seconds.
PointTable readGpkgTable(const DirectInput& in, const std::string& table,
                         const std::string& fidColumn, const std::string& geomColumn,
                         const FieldSelection& wanted, QgsProcessingFeedback* feedback,
                         double begin, double end) {
  PointTable t;
  t.direct = true;
  geo::GpkgPointReadOptions options;
  options.table = table;
  options.fidColumn = fidColumn;
  options.geometryColumn = geomColumn;
  std::vector<int> source;          // per table column: index into options.fields, -1 = the fid
  std::optional<std::size_t> key;   // index into options.fields of the key read as text
  std::optional<std::size_t> time;  // index into options.fields of the time read as seconds
  geo::GpkgFieldType timeType = geo::GpkgFieldType::DateTime;
  for (int i = 0; i < in.fields.count(); ++i) {
    const QgsField& f = in.fields.at(i);
    if (!wanted.all && !wanted.names.contains(f.name(), Qt::CaseInsensitive)) continue;
    t.fields.append(f);
    t.types.push_back(gpkgType(f));
    if (in.fidIsField && i == 0) {
      source.push_back(-1);
    } else {
      if (!key && !wanted.keyText.isEmpty() &&
          f.name().compare(wanted.keyText, Qt::CaseInsensitive) == 0 &&
          t.types.back() != geo::GpkgFieldType::Date &&
          t.types.back() != geo::GpkgFieldType::DateTime)
        key = options.fields.size();
      if (!time && !wanted.timeSeconds.isEmpty() &&
          f.name().compare(wanted.timeSeconds, Qt::CaseInsensitive) == 0 &&
          (t.types.back() == geo::GpkgFieldType::Date ||
           t.types.back() == geo::GpkgFieldType::DateTime)) {
        time = options.fields.size();
        timeType = t.types.back();
      }
      source.push_back(int(options.fields.size()));
      options.fields.push_back({f.name().toStdString(), t.types.back()});
    }
  }
  FeedbackProgress progress(feedback);
  geo::SubProgress sub(progress, begin, begin + (end - begin) * 0.9);
  geo::GpkgPoints rows;
  if (key || time) {
    // The scan on a connection of our own, with the sink: the table and its columns are the
    // ones GDAL and QGIS opened in this file.
    const SqliteReader db = openSqlite(in);
    std::vector<std::vector<geo::GpkgValue>> columns(options.fields.size());
    TableRowSink sink(columns, t.keyTexts, key.value_or(TableRowSink::kNone), t.times,
                      time.value_or(TableRowSink::kNone), timeType);
    rows = geo::scanGpkgPoints(db.get(), in.path.toStdString(), options, sub, &sink);
    rows.columns = std::move(columns);
  } else {
    rows = geo::readGpkgPoints(in.path.toStdString(), options, sub);
  }
  for (const std::int64_t fid : rows.withoutPoint) {
    ++t.skipped;
    report(feedback, tr("Feature %1 has no geometry; skipped").arg(fid));
  }
  t.points = std::move(rows.points);
  t.columns.resize(source.size());
  for (std::size_t c = 0; c < source.size(); ++c) {
    if (source[c] < 0) {
      t.columns[c].assign(rows.fids.begin(), rows.fids.end());
      continue;
    }
    t.columns[c] = std::move(rows.columns[std::size_t(source[c])]);
    if (t.types[c] == geo::GpkgFieldType::Date || t.types[c] == geo::GpkgFieldType::DateTime)
      for (geo::GpkgValue& v : t.columns[c]) v = normalisedDateValue(std::move(v), t.types[c]);
  }
  t.ids = std::move(rows.fids);  // moved, not copied: one fid array at a time
  return t;
}

PointTable readDirect(DirectInput& in, const FieldSelection& wanted, QgsProcessingContext& context,
                      QgsProcessingFeedback* feedback, double begin, double end) {
  PointTable t;
  t.direct = true;
  geo::DatasetPtr ds = geo::openDataset(in.path.toStdString());
  OGRLayer* layer = openLayer(*ds, in);
  if (!layer)
    throw geo::InputError({in.path.toStdString(), std::nullopt, ""},
                          "the layer GDAL opens differs from QGIS's");
  if (in.driver == QLatin1String("GPKG") && in.fidIsField && layer->GetGeometryColumn()[0]) {
    const std::string table = layer->GetName(), fid = layer->GetFIDColumn(),
                      geom = layer->GetGeometryColumn();
    ds.reset();  // SQLite reads the file on its own connection
    if (feedback)
      feedback->pushDebugInfo(
          tr("GeoPackage table %1 read through SQLite").arg(QString::fromStdString(table)));
    t = readGpkgTable(in, table, fid, geom, wanted, feedback, begin, end);
    keyColumnToText(t, wanted.keyText);  // a fid or date key
    toWorkingCrs(t, in, context, feedback);
    if (feedback) feedback->setProgress(100.0 * end);
    return t;
  }
  // The columns to read, and the OGR fields to skip.
  std::vector<int> ogrIndex;  // per table column: OGR field index, -1 = the FID
  std::vector<std::string> ignored{"OGR_STYLE"};
  for (int i = 0; i < in.fields.count(); ++i) {
    const QgsField& f = in.fields.at(i);
    const int ogr = i - (in.fidIsField ? 1 : 0);
    const bool keep = wanted.all || wanted.names.contains(f.name(), Qt::CaseInsensitive);
    if (keep) {
      t.fields.append(f);
      t.types.push_back(gpkgType(f));
      ogrIndex.push_back(ogr);
    } else if (ogr >= 0) {
      ignored.push_back(f.name().toStdString());
    }
  }
  std::vector<const char*> ignoredPtrs;
  for (const std::string& s : ignored) ignoredPtrs.push_back(s.c_str());
  ignoredPtrs.push_back(nullptr);
  layer->SetIgnoredFields(ignoredPtrs.data());
  layer->SetSpatialFilter(nullptr);
  layer->SetAttributeFilter(nullptr);
  layer->ResetReading();
  const GIntBig total = layer->GetFeatureCount(FALSE);
  if (total > 0) {
    t.points.reserve(std::size_t(total));
    t.ids.reserve(std::size_t(total));
  }
  t.columns.resize(ogrIndex.size());
  for (auto& c : t.columns)
    if (total > 0) c.reserve(std::size_t(total));
  long long done = 0;
  for (geo::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
    if (++done % kProgressEvery == 0) {
      if (feedback && feedback->isCanceled()) throw geo::CancelledError();
      if (feedback && total > 0)
        feedback->setProgress(100.0 * (begin + (end - begin) * 0.9 * double(done) / double(total)));
    }
    const OGRGeometry* g = f->GetGeometryRef();
    const OGRPoint* p = nullptr;
    if (g && wkbFlatten(g->getGeometryType()) == wkbPoint) {
      p = g->toPoint();
    } else if (g && wkbFlatten(g->getGeometryType()) == wkbMultiPoint &&
               g->toMultiPoint()->getNumGeometries() > 0) {
      p = g->toMultiPoint()->getGeometryRef(0);  // the first part, as the QgsFeatureSource path
    }
    if (!p || p->IsEmpty()) {
      ++t.skipped;
      report(feedback, tr("Feature %1 has no geometry; skipped").arg(f->GetFID()));
      continue;
    }
    t.points.push_back({p->getX(), p->getY()});
    t.ids.push_back(f->GetFID());
    for (std::size_t c = 0; c < ogrIndex.size(); ++c)
      t.columns[c].push_back(ogrIndex[c] < 0 ? geo::GpkgValue(std::int64_t(f->GetFID()))
                                             : ogrValue(*f, ogrIndex[c], t.types[c]));
  }
  keyColumnToText(t, wanted.keyText);
  toWorkingCrs(t, in, context, feedback);
  if (feedback) feedback->setProgress(100.0 * end);
  return t;
}

PointTable readThroughSource(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                             const QString& name, QgsProcessingContext& context,
                             QgsProcessingFeedback* feedback, const FieldSelection& wanted,
                             double begin, double end) {
  auto source = makeSource(algorithm, parameters, name, context);
  PointInput in = readPoints(*source, context, feedback, begin, end);
  PointTable t;
  t.points = std::move(in.points);
  t.skipped = in.skipped;
  const QgsFields all = source->fields();
  std::vector<int> indices;
  for (int i = 0; i < all.count(); ++i) {
    if (!wanted.all && !wanted.names.contains(all.at(i).name(), Qt::CaseInsensitive)) continue;
    t.fields.append(all.at(i));
    t.types.push_back(gpkgType(all.at(i)));
    indices.push_back(i);
  }
  t.columns.resize(indices.size());
  for (auto& c : t.columns) c.reserve(t.points.size());
  t.ids.reserve(t.points.size());
  for (int r = 0; r < in.features.count(); ++r) {
    const QgsFeature& f = in.features.at(r);
    t.ids.push_back(f.id());
    for (std::size_t c = 0; c < indices.size(); ++c)
      t.columns[c].push_back(toGpkgValue(f.attribute(indices[c]), t.types[c]));
  }
  keyColumnToText(t, wanted.keyText);
  return t;
}

}  // namespace

PointTable readPointTable(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                          const QString& name, QgsProcessingContext& context,
                          QgsProcessingFeedback* feedback, const FieldSelection& fields,
                          double begin, double end) {
  QElapsedTimer timer;
  timer.start();
  QString whyNot = QStringLiteral("VELDWACHT_FAST_IO=0");
  std::optional<DirectInput> in;
  if (fastIoEnabled()) in = directInput(algorithm, parameters, name, context, &whyNot);
  if (in && feedback) feedback->pushDebugInfo(tr("Reading %1 with GDAL directly").arg(in->path));
  if (!in && feedback)
    feedback->pushDebugInfo(tr("Reading through QGIS's feature source (%1)").arg(whyNot));
  PointTable t =
      in ? readDirect(*in, fields, context, feedback, begin, end)
         : readThroughSource(algorithm, parameters, name, context, feedback, fields, begin, end);
  if (feedback)
    feedback->pushDebugInfo(tr("Read %1 points in %2 s")
                                .arg(t.points.size())
                                .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2));
  return t;
}

namespace {

/// Each row's point (and weight) into a PointSink (a PointSpill, a counter), a few thousand at a
/// time: transformed to EPSG:28992 when the input is in another CRS, rows without finite
/// coordinates then skipped, and the weights checked, as readPointTable and the point input do.
class StreamedRows final : public geo::GpkgRowSink {
 public:
  StreamedRows(geo::PointSink& sink, const QgsCoordinateTransform& transform, bool weighted,
               const std::string& table, const std::string& weightField,
               QgsProcessingFeedback* feedback)
      : sink_(sink),
        transform_(transform),
        weighted_(weighted),
        table_(table),
        weightField_(weightField),
        feedback_(feedback) {}
  bool takesPoints() const override { return true; }
  void point(std::int64_t fid, const geo::Point& p) override {
    fids_.push_back(fid);
    points_.push_back(p);
  }
  bool row(std::span<const geo::GpkgCell> fields) override {
    if (weighted_) {
      const geo::GpkgCell& c = fields[0];
      weights_.push_back(c.kind == geo::GpkgCell::Kind::Integer ? double(c.integer)
                         : c.kind == geo::GpkgCell::Kind::Real  ? std::optional<double>(c.real)
                                                                : std::nullopt);
    }
    if (points_.size() == kChunk) flush();
    return true;
  }
  /// Adds what is buffered (call once more after the scan).
  void flush() {
    if (feedback_ && feedback_->isCanceled()) throw geo::CancelledError();
    if (transform_.isValid() && !transform_.isShortCircuited())
      transformChunk(transform_, points_, 0, points_.size());
    for (std::size_t i = 0; i < points_.size(); ++i) {
      if (!std::isfinite(points_[i].x) || !std::isfinite(points_[i].y)) {
        ++skipped_;
        report(feedback_, noFiniteCoordinates(fids_[i]));
        continue;
      }
      sink_.add(
          points_[i],
          weighted_ ? layers::checkedWeight(weights_[i], {table_, fids_[i], weightField_}) : 1.0);
      ++added_;
    }
    fids_.clear();
    points_.clear();
    weights_.clear();
  }
  long long skipped() const { return skipped_; }
  long long added() const { return added_; }

 private:
  static constexpr std::size_t kChunk = 4096;
  geo::PointSink& sink_;
  const QgsCoordinateTransform& transform_;
  bool weighted_;
  std::string table_;
  std::string weightField_;
  QgsProcessingFeedback* feedback_;
  std::vector<std::int64_t> fids_;
  std::vector<geo::Point> points_;
  std::vector<std::optional<double>> weights_;  ///< none: NULL or not a number
  long long skipped_ = 0;
  long long added_ = 0;
};

}  // namespace

std::optional<PointStreamSource> pointStreamSource(
    const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters, const QString& name,
    QgsProcessingContext& context, QgsProcessingFeedback* feedback, const QString& weightField) {
  if (!fastIoEnabled()) return std::nullopt;
  QString whyNot;
  std::optional<DirectInput> in = directInput(algorithm, parameters, name, context, &whyNot);
  geo::GpkgPointReadOptions options;
  bool fits = in && in->driver == QLatin1String("GPKG");
  if (fits) {
    geo::DatasetPtr ds = geo::openDataset(in->path.toStdString());
    OGRLayer* layer = openLayer(*ds, *in);  // sets fidIsField
    fits = layer && in->fidIsField && layer->GetGeometryColumn()[0];
    if (fits) {
      options.table = layer->GetName();
      options.fidColumn = layer->GetFIDColumn();
      options.geometryColumn = layer->GetGeometryColumn();
    }
  }  // SQLite reads the file on its own connection
  if (!fits) {
    if (feedback)
      feedback->pushDebugInfo(
          QStringLiteral("Not streamed: %1")
              .arg(in ? QStringLiteral("not a GeoPackage table with a fid column") : whyNot));
    return std::nullopt;
  }
  if (!weightField.isEmpty()) {
    const int i = in->fields.lookupField(weightField);
    if (i <= 0 || !in->fields.at(i).isNumeric()) {  // the usual path gives the usual errors
      if (feedback) feedback->pushDebugInfo(QStringLiteral("Not streamed: the weight field"));
      return std::nullopt;
    }
    options.fields.push_back({in->fields.at(i).name().toStdString(), gpkgType(in->fields.at(i))});
  }
  return PointStreamSource{std::move(*in), std::move(options), weightField};
}

long long streamPoints(const PointStreamSource& source, QgsProcessingContext& context,
                       QgsProcessingFeedback* feedback, const std::string& table,
                       geo::PointSink& sink, geo::Progress& progress) {
  const DirectInput& in = source.in;
  QElapsedTimer timer;
  timer.start();
  const SqliteReader db = openSqlite(in);
  // One pass in rowid order: pages are read once, a cache would only hold what is done.
  sqlite3_exec(db.get(), "PRAGMA cache_size = -256", nullptr, nullptr, nullptr);
  const QgsCoordinateTransform transform(in.crs, workingCrs(), context.transformContext());
  if (feedback)
    feedback->pushDebugInfo(QStringLiteral("GeoPackage table %1 streamed through SQLite%2")
                                .arg(QString::fromStdString(source.options.table),
                                     transform.isShortCircuited()
                                         ? QString()
                                         : QStringLiteral(", transformed to EPSG:28992")));
  StreamedRows rows(sink, transform, !source.weightField.isEmpty(), table,
                    source.weightField.toStdString(), feedback);
  const geo::GpkgPoints rest =
      geo::scanGpkgPoints(db.get(), in.path.toStdString(), source.options, progress, &rows);
  rows.flush();
  for (const std::int64_t fid : rest.withoutPoint)
    report(feedback, tr("Feature %1 has no geometry; skipped").arg(fid));
  if (feedback)
    feedback->pushDebugInfo(tr("Read %1 points in %2 s")
                                .arg(rows.added())
                                .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2));
  progress.setFraction(1.0);
  return rows.skipped() + static_cast<long long>(rest.withoutPoint.size());
}

// ---- write ----------------------------------------------------------------------------------

std::optional<QString> gpkgDestination(const QgsProcessingAlgorithm& algorithm,
                                       QVariantMap& parameters, const QString& name,
                                       QgsProcessingContext& context) {
  const QgsProcessingParameterDefinition* def = algorithm.parameterDefinition(name);
  QVariant value = parameters.value(name);
  QgsProcessingOutputLayerDefinition out;
  const bool isDefinition = value.canConvert<QgsProcessingOutputLayerDefinition>();
  if (isDefinition) {
    out = qvariant_cast<QgsProcessingOutputLayerDefinition>(value);
    // The dialog always sets a file encoding, which a GeoPackage (UTF-8) ignores; any other
    // creation option is the sink's business.
    for (auto it = out.createOptions.cbegin(); it != out.createOptions.cend(); ++it)
      if (it.key() != QLatin1String("fileEncoding")) return std::nullopt;
    if (out.sink.propertyType() != QgsProperty::StaticProperty) return std::nullopt;
    value = out.sink.staticValue();
  }
  QString dest = value.toString();
  if (dest.isEmpty() && def) dest = def->defaultValue().toString();
  if (dest.isEmpty()) return std::nullopt;
  if (dest == QgsProcessing::TEMPORARY_OUTPUT) {
    const auto* destParam = dynamic_cast<const QgsProcessingDestinationParameter*>(def);
    if (!destParam) return std::nullopt;
    dest = destParam->generateTemporaryDestination();
  }
  // A plain file path ending in .gpkg: no provider prefix, no layer name, no options.
  if (!dest.endsWith(QLatin1String(".gpkg"), Qt::CaseInsensitive) ||
      dest.contains(QLatin1Char('|')) || dest.startsWith(QLatin1String("ogr:")) ||
      dest.startsWith(QLatin1String("memory:")) || dest.startsWith(QLatin1String("postgis:")) ||
      dest.startsWith(QLatin1String("postgres:")) || dest.startsWith(QLatin1String("spatialite:")))
    return std::nullopt;
  // Register it for loading exactly as parameterAsSink would, with the concrete file name.
  if (isDefinition) {
    out.sink = QgsProperty::fromValue(dest);
    parameters.insert(name, QVariant::fromValue(out));
  } else {
    parameters.insert(name, dest);
  }
  return QgsProcessingParameters::parameterAsOutputLayer(def, parameters, context);
}

namespace {

QString writeGpkg(const QString& path, const PointTable& in, const std::vector<OutputColumn>& extra,
                  QgsProcessingFeedback* feedback, double begin, double end) {
  // As QgsVectorFileWriter: the file is (re)created, the layer is named after it, and an
  // integer "fid" field becomes the FID.
  if (QFileInfo::exists(path) && !QFile::remove(path))
    throw QgsProcessingException(tr("Could not replace %1").arg(path));
  geo::GpkgLayerOptions options;
  options.table = QFileInfo(path).completeBaseName().toStdString();
  options.geometryType = geo::GpkgGeometryType::Point;
  options.expectedRows = std::int64_t(in.points.size());
  int fidColumn = -1;
  std::vector<int> copied;
  for (int i = 0; i < in.fields.count(); ++i) {
    if (fidColumn < 0 && isFidField(in.fields.at(i))) {
      fidColumn = i;
      continue;
    }
    options.fields.push_back({in.fields.at(i).name().toStdString(), in.types[std::size_t(i)]});
    copied.push_back(i);
  }
  for (const OutputColumn& c : extra)
    options.fields.push_back({c.field.name().toStdString(), c.type});
  FeedbackProgress progress(feedback);
  geo::SubProgress sub(progress, begin, end);
  geo::GpkgWriter writer(path.toStdString(), options, sub);
  std::vector<geo::GpkgValue> row(options.fields.size());
  for (std::size_t i = 0; i < in.points.size(); ++i) {
    std::size_t k = 0;
    for (int c : copied) row[k++] = in.columns[std::size_t(c)][i];
    for (const OutputColumn& c : extra) row[k++] = c.value(i);
    std::int64_t fid = 0;
    if (fidColumn >= 0)
      if (const auto* v = std::get_if<std::int64_t>(&in.columns[std::size_t(fidColumn)][i]))
        fid = *v;
    writer.addPoint(in.points[i].x, in.points[i].y, row, fid);
  }
  writer.commit();
  return path;
}

QString writeSink(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                  const QString& name, QgsProcessingContext& context,
                  QgsProcessingFeedback* feedback, const PointTable& in,
                  const std::vector<OutputColumn>& extra, double begin, double end) {
  QgsFields fields = in.fields;
  for (const OutputColumn& c : extra) fields.append(c.field);
  return writeRowsToSink(
      algorithm, parameters, name, context, feedback, fields, compat::kWkbPoint, in.points.size(),
      [&](std::size_t i, QgsFeature& out) {
        if (feedback && feedback->isCanceled()) throw geo::CancelledError();
        QgsAttributes attrs;
        attrs.reserve(fields.count());
        for (int c = 0; c < in.fields.count(); ++c)
          attrs << toVariant(in.columns[std::size_t(c)][i], in.fields.at(c));
        for (const OutputColumn& c : extra) attrs << toVariant(c.value(i), c.field);
        out.setAttributes(attrs);
        out.setGeometry(QgsGeometry::fromPointXY(QgsPointXY(in.points[i].x, in.points[i].y)));
        if (feedback && i % 1000 == 0)
          feedback->setProgress(100.0 *
                                (begin + (end - begin) * double(i) / double(in.points.size())));
      });
}

}  // namespace

QString writePointTable(const QgsProcessingAlgorithm& algorithm, const QVariantMap& parameters,
                        const QString& name, QgsProcessingContext& context,
                        QgsProcessingFeedback* feedback, const PointTable& in,
                        const std::vector<OutputColumn>& extra, const QString& style, double begin,
                        double end) {
  QElapsedTimer timer;
  timer.start();
  QVariantMap params = parameters;
  QString dest;
  std::optional<QString> path;
  if (fastIoEnabled()) path = gpkgDestination(algorithm, params, name, context);
  if (path) {
    if (feedback) feedback->pushDebugInfo(tr("Writing %1 with the GeoPackage writer").arg(*path));
    dest = writeGpkg(*path, in, extra, feedback, begin, end);
  } else {
    dest = writeSink(algorithm, parameters, name, context, feedback, in, extra, begin, end);
  }
  if (!dest.isEmpty() && !style.isEmpty()) styleOutputOnLoad(context, feedback, dest, style);
  if (feedback)
    feedback->pushDebugInfo(tr("Wrote %1 points in %2 s")
                                .arg(in.points.size())
                                .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2));
  return dest;
}

}  // namespace veldwacht::plugin
