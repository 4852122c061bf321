// The generic Processing algorithm made from an analysis description (see described.h).
#include "plugin/processing/described.h"  // first: plugin/json_compat.h before QGIS headers

#include <qgsapplication.h>
#include <qgsexception.h>
#include <qgsfeaturesink.h>
#include <qgsprocessingoutputs.h>
#include <qgsprocessingparameters.h>
#include <qgsprocessingutils.h>
#include <qgsproviderregistry.h>
#include <qgsvectorlayer.h>

#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string_view>

#include "geo/core/error.h"
#include "geo/core/memory.h"
#include "geo/density/geotiff.h"
#include "geo/density/kde.h"
#include "layers/pgstore/backend.h"
#include "plugin/processing/common.h"
#include "plugin/processing/fastio.h"
#include "plugin/processing/result_gpkg.h"
#include "plugin/store_source.h"

namespace veldwacht::plugin {

namespace {

namespace describe = layers::describe;

const QString kWriteToStore = QStringLiteral("WRITE_TO_STORE");
const QString kStoreOutput = QStringLiteral("STORE_OUTPUT");
const QString kOutputName = QStringLiteral("OUTPUT_NAME");
const QString kTimeField = QStringLiteral("TIME_FIELD");
const QString kTimeEndField = QStringLiteral("TIME_END_FIELD");
const QString kKeyField = QStringLiteral("KEY_FIELD");
const QString kReport = QStringLiteral("REPORT");
const QString kLayers = QStringLiteral("LAYERS");
const QString kRows = QStringLiteral("ROWS");

QString q(const std::string& s) { return QString::fromStdString(s); }

bool dutch() { return dutchTexts(); }
QString text(const describe::Text& t) { return q(dutch() && !t.nl.empty() ? t.nl : t.en); }

/// The weight (or value) field parameter of input `processing`.
QString fieldParameterName(const describe::Input& in) {
  if (in.kind == describe::InputKind::Polygons) return q(in.processing) + QStringLiteral("_FIELD");
  return in.processing == "INPUT" ? QStringLiteral("WEIGHT_FIELD")
                                  : q(in.processing) + QStringLiteral("_WEIGHT_FIELD");
}
QString whereParameterName(const describe::Input& in) { return q(in.processing) + "_WHERE"; }

QString optionLabel(const describe::Option& o) {
  QString label = text(o.label);
  if (!o.unit.empty()) label += QStringLiteral(" [%1]").arg(q(o.unit));
  return label;
}

/// The QGIS bounds of a numeric option: the description's range (an exclusive end is left to
/// Analysis::set, which refuses it with the reason).
std::pair<double, double> bounds(const describe::Option& o) {
  const double lo = o.range.min ? *o.range.min : std::numeric_limits<double>::lowest();
  const double hi = o.range.max ? *o.range.max : std::numeric_limits<double>::max();
  if (o.kind == describe::OptionKind::Integer)
    return {o.range.min ? std::ceil(lo) : lo, o.range.max ? std::floor(hi) : hi};
  return {lo, hi};
}

QgsProcessingParameterDefinition* optionParameter(const describe::Option& o) {
  using describe::OptionKind;
  QgsProcessingParameterDefinition* p = nullptr;
  const QString name = q(o.processing);
  const auto [lo, hi] = bounds(o);
  switch (o.kind) {
    case OptionKind::Integer:
      p = new QgsProcessingParameterNumber(
          name, optionLabel(o), compat::kNumberInteger,
          QVariant(qlonglong(std::get<std::int64_t>(o.defaultValue))), false, lo, hi);
      break;
    case OptionKind::Real:
      p = new QgsProcessingParameterNumber(name, optionLabel(o), compat::kNumberDouble,
                                           std::get<double>(o.defaultValue), false, lo, hi);
      break;
    case OptionKind::Boolean:
      p = new QgsProcessingParameterBoolean(name, optionLabel(o), std::get<bool>(o.defaultValue));
      break;
    case OptionKind::Choice: {
      QStringList choices;
      int def = 0;
      for (std::size_t i = 0; i < o.choices.size(); ++i) {
        choices << q(o.choices[i]);
        if (o.choices[i] == std::get<std::string>(o.defaultValue)) def = int(i);
      }
      p = new QgsProcessingParameterEnum(name, optionLabel(o), choices, false, def);
      break;
    }
    case OptionKind::Text: {
      const QString def = q(std::get<std::string>(o.defaultValue));
      p = new QgsProcessingParameterString(name, optionLabel(o), def);
      if (def.isEmpty()) p->setFlags(p->flags() | compat::kParamOptional);
      break;
    }
  }
  p->setHelp(text(o.help));
  if (o.advanced) p->setFlags(p->flags() | compat::kParamAdvanced);
  return p;
}

/// The value the user gave for option `o`; nullopt when none was given (the description's
/// default applies).
std::optional<describe::OptionValue> optionValue(const QgsProcessingAlgorithm& alg,
                                                 const describe::Option& o,
                                                 const QVariantMap& parameters,
                                                 QgsProcessingContext& context) {
  using describe::OptionKind;
  using P = QgsProcessingParameters;
  const QString name = q(o.processing);
  const QVariant raw = parameters.value(name);
  if (!parameters.contains(name) || compat::isNullValue(raw)) return std::nullopt;
  const QgsProcessingParameterDefinition* def = alg.parameterDefinition(name);
  switch (o.kind) {
    case OptionKind::Integer:
    case OptionKind::Real: {
      bool ok = false;
      double d = raw.toDouble(&ok);
      if (!ok) d = P::parameterAsDouble(def, parameters, context);
      if (!std::isfinite(d))
        throw geo::OptionError(o.processing,
                               "must be a finite number; got " + raw.toString().toStdString());
      if (o.kind == OptionKind::Real) return d;
      if (d != std::floor(d) || std::fabs(d) > 9.0e15)
        throw geo::OptionError(o.processing,
                               "must be a whole number; got " + raw.toString().toStdString());
      return std::int64_t(d);
    }
    case OptionKind::Boolean:
      return P::parameterAsBool(def, parameters, context);
    case OptionKind::Choice: {
      // A choice's name (as the CLI and docs write it) or its index.
      const std::string s = raw.toString().toStdString();
      for (const auto& c : o.choices)
        if (c == s) return c;
      const int i = P::parameterAsEnum(def, parameters, context);
      if (i < 0 || std::size_t(i) >= o.choices.size())
        throw geo::OptionError(o.processing, "unknown choice '" + s + "'");
      return o.choices[std::size_t(i)];
    }
    case OptionKind::Text:
      return P::parameterAsString(def, parameters, context).toStdString();
  }
  return std::nullopt;
}

compat::WkbType wkbType(layers::GeometryKind g) {
  switch (g) {
    case layers::GeometryKind::None:
      return compat::kWkbNoGeometry;
    case layers::GeometryKind::Point:
      return compat::kWkbPoint;
    case layers::GeometryKind::LineString:
      return compat::kWkbLineString;
    case layers::GeometryKind::MultiPolygon:
      return compat::kWkbMultiPolygon;
  }
  return compat::kWkbNoGeometry;
}

compat::SourceType sinkType(layers::GeometryKind g) {
  switch (g) {
    case layers::GeometryKind::None:
      return compat::kSourceVector;
    case layers::GeometryKind::Point:
      return compat::kSourcePoint;
    case layers::GeometryKind::LineString:
      return compat::kSourceLine;
    case layers::GeometryKind::MultiPolygon:
      return compat::kSourcePolygon;
  }
  return compat::kSourceVector;
}

QgsFields qgsFields(const layers::ResultLayer& layer) {
  using compat::FieldKind;
  QgsFields fields;
  for (const layers::FieldDef& f : layer.fields) {
    switch (f.type) {
      case layers::FieldType::Integer:
        fields.append(compat::makeField(q(f.name), FieldKind::LongLong));
        break;
      case layers::FieldType::Real:
        fields.append(compat::makeField(q(f.name), FieldKind::Double));
        break;
      case layers::FieldType::Boolean:
        fields.append(compat::makeField(q(f.name), FieldKind::Bool));
        break;
      case layers::FieldType::Date:
        fields.append(QgsField(q(f.name), QVariant::Date));
        break;
      case layers::FieldType::DateTime:
        fields.append(QgsField(q(f.name), QVariant::DateTime));
        break;
      case layers::FieldType::Text:
        fields.append(compat::makeField(q(f.name), FieldKind::String));
        break;
    }
  }
  return fields;
}

QVariant qgsValue(const layers::Value& v, layers::FieldType type) {
  if (const auto* i = std::get_if<std::int64_t>(&v))
    return type == layers::FieldType::Boolean ? QVariant(*i != 0) : QVariant(qlonglong(*i));
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) {
    if (type == layers::FieldType::Date) return QDate::fromString(q(*s), Qt::ISODate);
    if (type == layers::FieldType::DateTime) return QDateTime::fromString(q(*s), Qt::ISODate);
    return q(*s);
  }
  return {};
}

QgsGeometry qgsGeometry(const OGRGeometry* g) {
  if (!g) return {};
  std::vector<std::uint8_t> wkb(std::size_t(g->WkbSize()));
  g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return geometryFromWkb(wkb);
}

/// Writes one result table to output `name`: a .gpkg file with the fast GeoPackage writer
/// (tables with geometry), anything else through the sink.
QString writeResultTable(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                         const QString& name, QgsProcessingContext& context,
                         QgsProcessingFeedback* feedback, const layers::ResultLayer& layer,
                         const layers::PointColumns* columns, double begin, double end) {
  FeedbackProgress progress(feedback);
  geo::SubProgress sub(progress, begin, end);
  if (layer.geometry != layers::GeometryKind::None &&
      qEnvironmentVariable("VELDWACHT_FAST_IO") != QLatin1String("0")) {
    QVariantMap params = parameters;
    if (const auto path = gpkgDestination(alg, params, name, context)) {
      if (QFileInfo::exists(*path) && !QFile::remove(*path))
        throw QgsProcessingException(
            QCoreApplication::translate("Veldwacht", "Could not replace %1").arg(*path));
      if (feedback)
        feedback->pushDebugInfo(
            QCoreApplication::translate("Veldwacht", "Writing %1 with the GeoPackage writer")
                .arg(*path));
      const std::string table = QFileInfo(*path).completeBaseName().toStdString();
      if (columns)
        writePointColumnsGpkg(layer, *columns, path->toStdString(), table, sub);
      else
        writeResultLayerGpkg(layer, path->toStdString(), table, sub);
      return *path;
    }
  }
  const QgsFields fields = qgsFields(layer);
  const std::size_t rows = columns ? columns->size() : layer.records.size();
  layers::Record row;  // a column-wise table's row i
  return writeRowsToSink(alg, parameters, name, context, feedback, fields, wkbType(layer.geometry),
                         rows, [&](std::size_t i, QgsFeature& f) {
                           if (feedback && feedback->isCanceled()) throw geo::CancelledError();
                           if (columns) row = columns->record(i);
                           const layers::Record& r = columns ? row : layer.records[i];
                           QgsAttributes attrs;
                           attrs.reserve(fields.count());
                           for (std::size_t k = 0; k < layer.fields.size(); ++k)
                             attrs << qgsValue(r.values[k], layer.fields[k].type);
                           f.setAttributes(attrs);
                           if (layer.geometry != layers::GeometryKind::None)
                             f.setGeometry(qgsGeometry(r.geometry.get()));
                           sub.setFraction(double(i + 1) / double(rows));
                         });
}

// ---- reading points with the store's conventions ------------------------------------------

/// Which fields of a point layer carry the key, times, category and source, as
/// layers::readPoints takes them from a store layer (inputs.cpp).
struct PointConventions {
  QString key, timeFrom, timeTo, category, source;
};

PointConventions conventionsFor(const std::string& table, const QgsFields& fields) {
  PointConventions c;
  const auto has = [&](const char* n) { return fields.lookupField(QLatin1String(n)) >= 0; };
  const auto pick = [&](const char* n) { return has(n) ? QString::fromLatin1(n) : QString(); };
  const layers::LayerDef* def = nullptr;
  for (const auto& d : layers::layerDefs())
    if (d.name == table) def = &d;
  if (def && has(def->key.c_str())) c.key = q(def->key);
  if (table == "signalen" || (!def && has("waargenomen_van"))) {
    c.timeFrom = pick("waargenomen_van");
    c.timeTo = pick("waargenomen_tot");
    c.category = pick("categorie");
    c.source = pick("brontype");
  } else if (table == "incidenten" || (!def && has("misdrijf_code"))) {
    c.timeFrom = pick("datum");
    c.category = pick("misdrijf_code");
  } else if (table == "vab") {
    c.category = pick("leegstand");
  }
  return c;
}

/// Text codes → dense indexes with the names sorted, as inputs.cpp's codeField.
void codeColumn(const std::vector<geo::GpkgValue>& column, std::vector<std::int64_t>& codes,
                std::vector<std::string>& names) {
  std::map<std::string, std::int64_t> index;
  for (const auto& v : column)
    if (const auto* s = std::get_if<std::string>(&v)) index.emplace(*s, 0);
  std::int64_t next = 0;
  for (auto& [name, code] : index) {
    code = next++;
    names.push_back(name);
  }
  codes.reserve(column.size());
  for (const auto& v : column) {
    const auto* s = std::get_if<std::string>(&v);
    codes.push_back(s ? index.at(*s) : -1);
  }
}

/// The Veldwacht store behind a QGIS layer (a GeoPackage, or the database of a postgres layer;
/// none for anything else) and the table name in it.
struct LayerOrigin {
  std::optional<StoreSource> store;
  std::string table;
};

LayerOrigin originOf(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                     const QString& name, QgsProcessingContext& context) {
  LayerOrigin o;
  QgsVectorLayer* vl = QgsProcessingParameters::parameterAsVectorLayer(
      alg.parameterDefinition(name), parameters, context);
  if (!vl) return o;
  o.table = vl->name().toStdString();
  if (std::optional<LayerStore> s = storeOfLayer(vl)) {
    o.table = s->table.toStdString();
    if (s->source.database || s->source.store.endsWith(QLatin1String(".gpkg"), Qt::CaseInsensitive))
      o.store = std::move(s->source);
  } else if (vl->providerType() == QLatin1String("ogr")) {
    // A single-layer file (a CSV, a shapefile): its name is the table's.
    const QVariantMap parts =
        QgsProviderRegistry::instance()->decodeUri(QStringLiteral("ogr"), vl->source());
    o.table =
        QFileInfo(parts.value(QStringLiteral("path")).toString()).completeBaseName().toStdString();
  }
  return o;
}

/// Frees a column of `t` (its values are no longer needed).
void releaseColumn(PointTable& t, const std::vector<geo::GpkgValue>* column) {
  for (auto& c : t.columns)
    if (&c == column) std::vector<geo::GpkgValue>().swap(c);
}

/// Reads input INPUT as a layers::PointInput, the same rows, keys, times, weights, categories
/// and sources that layers::readPoints gives for the same store layer. Keys are made only when
/// `withKeys` (the description's Input::keys). Memory: each field is read once, and its column
/// of the PointTable is freed as soon as it has been turned into the PointInput's form, so a
/// value is never held twice over more than one field.
layers::PointInput readPointInput(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                                  const QString& input, QgsProcessingContext& context,
                                  QgsProcessingFeedback* feedback, const std::string& table,
                                  const QString& weightField, const QString& weightParameter,
                                  bool withKeys, double begin, double end) {
  const bool isMain = input == QLatin1String("INPUT");  // the key and time fields are INPUT's
  // The field names before reading: the source's fields.
  std::unique_ptr<QgsProcessingFeatureSource> source = makeSource(alg, parameters, input, context);
  PointConventions c = conventionsFor(table, source->fields());
  source.reset();
  if (isMain) {
    const QString timeField = QgsProcessingParameters::parameterAsString(
        alg.parameterDefinition(kTimeField), parameters, context);
    const QString timeEndField = QgsProcessingParameters::parameterAsString(
        alg.parameterDefinition(kTimeEndField), parameters, context);
    if (!timeField.isEmpty()) {
      c.timeFrom = timeField;
      c.timeTo = timeEndField;
    }
    const QString keyField = QgsProcessingParameters::parameterAsString(
        alg.parameterDefinition(kKeyField), parameters, context);
    if (!keyField.isEmpty()) c.key = keyField;
  }
  if (!withKeys) c.key.clear();
  FieldSelection wanted;
  for (const QString& f : {c.key, c.timeFrom, c.timeTo, c.category, c.source, weightField})
    if (!f.isEmpty()) wanted.names << f;
  // A key field that serves no other role is read straight into text (no GpkgValue column), a
  // time field that serves no other role straight into seconds.
  const auto onlyRole = [&](const QString& field) {
    return !field.isEmpty() &&
           std::count_if(wanted.names.cbegin(), wanted.names.cend(), [&](const QString& f) {
             return f.compare(field, Qt::CaseInsensitive) == 0;
           }) == 1;
  };
  if (onlyRole(c.key)) wanted.keyText = c.key;
  if (onlyRole(c.timeFrom)) wanted.timeSeconds = c.timeFrom;
  PointTable t = readPointTable(alg, parameters, input, context, feedback, wanted, begin, end);
  const auto column = [&](const QString& f,
                          const char* what) -> const std::vector<geo::GpkgValue>* {
    if (f.isEmpty()) return nullptr;
    const int i = t.column(f);
    if (i < 0) throw geo::OptionError(what, "the input has no field '" + f.toStdString() + "'");
    return &t.columns[std::size_t(i)];
  };
  const auto* keys = column(c.key, "KEY_FIELD");
  const auto* from = column(c.timeFrom, "TIME_FIELD");
  const auto* to = column(c.timeTo, "TIME_END_FIELD");
  const std::string weightName = weightParameter.toStdString();
  const auto* weights = column(weightField, weightName.c_str());
  const std::string inputName = input.toStdString();
  const auto* cat = column(c.category, inputName.c_str());
  const auto* src = column(c.source, inputName.c_str());
  if (t.points.empty())
    throw geo::InputError({table, std::nullopt, ""},
                          "the selection holds no rows; nothing to analyse");
  // A column is freed once no later step reads it (one field may serve two roles).
  const auto done = [&](const std::vector<geo::GpkgValue>* col,
                        std::initializer_list<const std::vector<geo::GpkgValue>*> later) {
    if (!col) return;
    for (const auto* l : later)
      if (l == col) return;
    releaseColumn(t, col);
  };

  layers::PointInput in;
  in.layer = table;
  in.points = std::move(t.points);
  const std::size_t n = in.points.size();
  if (withKeys && !t.keyTexts.empty()) {
    in.keys = std::move(t.keyTexts);
  } else if (withKeys) {
    geo::reserveLarge(in.keys.ends, n);
    for (std::size_t i = 0; i < n; ++i)
      in.keys.push_back(keys ? layers::keyText((*keys)[i]) : std::to_string(t.ids[i]));
    done(keys, {from, to, weights, cat, src});
  }
  if (!t.times.empty()) {  // TIME_FIELD read as seconds: its column is empty
    in.timeFrom = std::move(t.times);
    from = nullptr;
  }
  if (from || !in.timeFrom.empty()) {
    if (from) in.timeFrom.reserve(n);
    in.timeTo.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto t0 =
          from ? timeOf((*from)[i])
               : (in.timeFrom[i] == kNoTime ? std::nullopt : std::optional(in.timeFrom[i]));
      if (!t0)
        throw geo::InputError({table, t.ids[i], c.timeFrom.toStdString()},
                              "not an ISO date or datetime");
      const auto t1 = to ? timeOf((*to)[i]) : std::nullopt;
      if (from) in.timeFrom.push_back(*t0);
      in.timeTo.push_back(t1 && *t1 >= *t0 ? *t1 : *t0);
    }
    done(from, {to, weights, cat, src});
    done(to, {weights, cat, src});
  }
  if (weights) {
    in.weights.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const geo::GpkgValue& v = (*weights)[i];
      std::optional<double> w;
      if (const auto* iv = std::get_if<std::int64_t>(&v))
        w = double(*iv);
      else if (const auto* dv = std::get_if<double>(&v))
        w = *dv;
      in.weights.push_back(layers::checkedWeight(w, {table, t.ids[i], weightField.toStdString()}));
    }
    done(weights, {cat, src});
  }
  if (cat) {
    codeColumn(*cat, in.categories, in.categoryNames);
    done(cat, {src});
  }
  if (src) codeColumn(*src, in.sources, in.sourceNames);
  if (t.skipped > 0 && feedback)
    feedback->pushWarning(
        QCoreApplication::translate("Veldwacht", "%1 features skipped").arg(t.skipped));
  return in;
}

/// The polygons of input `name` (a mask, a study area) as WKB in the working CRS.
std::vector<std::vector<std::uint8_t>> readPolygonWkb(const QgsProcessingAlgorithm& alg,
                                                      const QVariantMap& parameters,
                                                      const QString& name,
                                                      QgsProcessingContext& context,
                                                      QgsProcessingFeedback* feedback) {
  auto source = makeSource(alg, parameters, name, context);
  PolygonInput polygons = readPolygons(*source, context, feedback);
  if (polygons.wkb.empty())
    throw geo::InputError({name.toStdString(), std::nullopt, ""}, "the layer holds no polygons");
  return std::move(polygons.wkb);
}

/// The polygons of input `name` as units, with the store's conventions as
/// layers::readPolygonUnits: the natural key of a store layer (else the feature id), the name
/// (plan_naam, else naam) and the numeric `valueField` when one is given.
layers::PolygonUnits readUnits(const QgsProcessingAlgorithm& alg, const QVariantMap& parameters,
                               const QString& name, QgsProcessingContext& context,
                               QgsProcessingFeedback* feedback, const std::string& table,
                               const QString& valueField, const QString& valueParameter) {
  auto source = makeSource(alg, parameters, name, context);
  const QgsFields fields = source->fields();
  if (!valueField.isEmpty()) {
    const int i = fields.lookupField(valueField);
    if (i < 0 || !fields.at(i).isNumeric())
      throw geo::OptionError(
          valueParameter.toStdString(),
          "'" + valueField.toStdString() + "' is not a numeric field of " + table);
  }
  QString key;
  for (const auto& d : layers::layerDefs())
    if (d.name == table && fields.lookupField(q(d.key)) >= 0) key = q(d.key);
  QString nameField;
  for (const char* n : {"plan_naam", "naam"})
    if (nameField.isEmpty() && fields.lookupField(QLatin1String(n)) >= 0)
      nameField = QString::fromLatin1(n);
  PolygonInput polygons = readPolygons(*source, context, feedback);
  if (polygons.wkb.empty())
    throw geo::InputError({table, std::nullopt, ""}, "the selection holds no polygons");
  layers::PolygonUnits u;
  u.layer = table;
  for (const QgsFeature& f : polygons.features) {
    u.keys.push_back(key.isEmpty() ? std::to_string(f.id())
                                   : f.attribute(key).toString().toStdString());
    const QVariant n = nameField.isEmpty() ? QVariant() : f.attribute(nameField);
    u.names.push_back(compat::isNullValue(n) ? std::string() : n.toString().toStdString());
    if (!valueField.isEmpty()) {
      const QVariant v = f.attribute(valueField);
      bool ok = false;
      const double d = v.toDouble(&ok);
      u.values.push_back(compat::isNullValue(v) || !ok ? std::nullopt : std::optional<double>(d));
    }
  }
  u.wkb = std::move(polygons.wkb);
  return u;
}

void pushReport(QgsProcessingFeedback* feedback, const layers::RunReport& report) {
  if (!feedback) return;
  for (const auto& l : report.lines) feedback->pushInfo(q(l));
  for (const auto& w : report.warnings) feedback->pushWarning(q(w));
}

// ---- the algorithm ------------------------------------------------------------------------

/// An input layer the user gave, with its store table name and its field parameter's value.
struct GivenInput {
  const describe::Input* desc;
  LayerOrigin origin;
  QString field;
};

/// The main point input ("layer") of `given` when every other input is one of `others` (the
/// inputs a streamed run reads first), else none.
const GivenInput* streamedMainInput(const std::vector<GivenInput>& given,
                                    std::initializer_list<std::string_view> others) {
  const GivenInput* main = nullptr;
  for (const GivenInput& g : given) {
    if (g.desc->cli == "layer")
      main = &g;
    else if (std::find(others.begin(), others.end(), g.desc->cli) == others.end())
      return nullptr;
  }
  return main;
}

class DescribedAlgorithm final : public Algorithm {
 public:
  DescribedAlgorithm(std::shared_ptr<const ErasedAnalysis> a, bool storeHost)
      : a_(std::move(a)), store_(storeHost) {}

  QString name() const override {
    return (store_ ? QStringLiteral("store_") : QString()) + q(info().id);
  }
  QString displayName() const override {
    const QString title = text(info().title);
    if (!store_) return title;
    return title +
           (dutch() ? QStringLiteral(" (in de opslag)") : QStringLiteral(" (in the store)"));
  }
  // Store variants sit with veldwacht:import in the group "store" (the dock leaves it out: it
  // runs analyses of a map layer).
  QString group() const override {
    return store_ ? QCoreApplication::translate("ImportAlgorithm", "Store")
                  : text(info().groupName);
  }
  QString groupId() const override { return store_ ? QStringLiteral("store") : q(info().group); }
  QStringList tags() const override {
    QStringList t{q(info().id), q(info().command)};
    for (const auto& m : info().methods) t << q(m);
    return t;
  }
  QString shortHelpString() const override;
  QString inputParameterName() const override { return store_ ? kStore : QStringLiteral("INPUT"); }
  ui::OptionSpecs optionSpecs() const override;
  DescribedAlgorithm* createInstance() const override { return new DescribedAlgorithm(a_, store_); }
  void initAlgorithm(const QVariantMap& configuration = QVariantMap()) override;

 protected:
  QVariantMap processAlgorithm(const QVariantMap& parameters, QgsProcessingContext& context,
                               QgsProcessingFeedback* feedback) override;

 private:
  const describe::AnalysisInfo& info() const { return *a_->info; }
  bool takesPolygonValues() const;
  void initPointHost();
  std::vector<GivenInput> givenInputs(const QVariantMap& parameters, QgsProcessingContext& context,
                                      RunSettings& s, LayerOrigin& storeOrigin) const;
  layers::AnalysisInputs readInputs(const QVariantMap& parameters, QgsProcessingContext& context,
                                    QgsProcessingFeedback* feedback,
                                    const std::vector<GivenInput>& given) const;
  void readUnitsInput(const QVariantMap& parameters, QgsProcessingContext& context,
                      QgsProcessingFeedback* feedback, const GivenInput& g,
                      layers::AnalysisInputs& into) const;
  std::optional<QVariantMap> runStreamed(const QVariantMap& parameters,
                                         QgsProcessingContext& context,
                                         QgsProcessingFeedback* feedback, const RunSettings& s,
                                         const std::vector<GivenInput>& given) const;
  std::optional<QVariantMap> runCountedStreamed(const QVariantMap& parameters,
                                                QgsProcessingContext& context,
                                                QgsProcessingFeedback* feedback,
                                                const RunSettings& s,
                                                const std::vector<GivenInput>& given) const;
  QVariantMap writeResultTables(const QVariantMap& parameters, QgsProcessingContext& context,
                                QgsProcessingFeedback* feedback,
                                const layers::AnalysisResult& result, const std::string& output,
                                double share) const;
  QString writeRaster(const QVariantMap& parameters, const describe::ResultTable& t,
                      const layers::RasterResult& raster, QgsProcessingContext& context,
                      QgsProcessingFeedback* feedback) const;
  void initStoreHost();
  void addOptions();
  RunSettings settings(const QVariantMap& parameters, QgsProcessingContext& context) const;
  QVariantMap runPointHost(const QVariantMap& parameters, QgsProcessingContext& context,
                           QgsProcessingFeedback* feedback);
  QVariantMap runStoreHost(const QVariantMap& parameters, QgsProcessingContext& context,
                           QgsProcessingFeedback* feedback);
  QVariantMap storeOutputs(const StoreSource& source, const std::string& output,
                           const layers::RunReport& report, QgsProcessingContext& context) const;

  std::shared_ptr<const ErasedAnalysis> a_;
  bool store_;
};

QString DescribedAlgorithm::shortHelpString() const {
  const TextLanguageScope language;
  QString h = text(info().help);
  h += QStringLiteral("<p>") +
       (dutch() ? QStringLiteral("Uitkomsten:") : QStringLiteral("Results:"));
  for (const auto& t : info().results) {
    h += QStringLiteral("<br><b>%1</b>: %2").arg(q(t.processing), text(t.meaning));
    if (!t.fields.empty()) {
      QStringList names;
      for (const auto& f : t.fields) names << q(f.name);
      h += QStringLiteral(" (%1)").arg(names.join(QStringLiteral(", ")));
    }
  }
  if (store_)
    h += QStringLiteral("<p>") +
         (dutch() ? QStringLiteral("Leest uit de Veldwacht-opslag en schrijft de uitkomst erin, "
                                   "geregistreerd in veldwacht_resultaten, zoals de CLI.")
                  : QStringLiteral("Reads from the Veldwacht store and writes the result into "
                                   "it, registered in veldwacht_resultaten, as the CLI does."));
  return h;
}

ui::OptionSpecs DescribedAlgorithm::optionSpecs() const {
  using describe::OptionKind;
  const TextLanguageScope language;
  ui::OptionSpecs specs;
  for (const auto& o : info().options) {
    const QString name = q(o.processing);
    const auto [lo, hi] = bounds(o);
    ui::OptionSpec s;
    switch (o.kind) {
      case OptionKind::Integer:
        s = ui::OptionSpec::integer(
            name, text(o.label), int(std::get<std::int64_t>(o.defaultValue)),
            o.range.min ? QVariant(lo) : QVariant(), o.range.max ? QVariant(hi) : QVariant());
        break;
      case OptionKind::Real:
        s = ui::OptionSpec::real(name, text(o.label), std::get<double>(o.defaultValue),
                                 o.range.min ? QVariant(lo) : QVariant(),
                                 o.range.max ? QVariant(hi) : QVariant());
        break;
      case OptionKind::Boolean:
        s = ui::OptionSpec::boolean(name, text(o.label), std::get<bool>(o.defaultValue));
        break;
      case OptionKind::Choice: {
        QStringList choices;
        int def = 0;
        for (std::size_t i = 0; i < o.choices.size(); ++i) {
          choices << q(o.choices[i]);
          if (o.choices[i] == std::get<std::string>(o.defaultValue)) def = int(i);
        }
        s = ui::OptionSpec::choice(name, text(o.label), choices, def);
        break;
      }
      case OptionKind::Text:
        s = ui::OptionSpec::text(name, text(o.label), q(std::get<std::string>(o.defaultValue)));
        break;
    }
    s.withUnit(q(o.unit)).withHelp(text(o.help));
    if (o.advanced) s.asAdvanced();
    specs << s;
  }
  return specs;
}

void DescribedAlgorithm::initAlgorithm(const QVariantMap&) {
  const TextLanguageScope language;  // every label and help text below in one language
  if (store_)
    initStoreHost();
  else
    initPointHost();
}

void DescribedAlgorithm::addOptions() {
  for (const auto& o : info().options) addParameter(optionParameter(o));
}

/// The QGIS geometry types an input takes.
QList<int> sourceTypes(describe::InputKind kind) {
  switch (kind) {
    case describe::InputKind::Points:
      return {int(compat::kSourcePoint)};
    case describe::InputKind::Polygons:
      return {int(compat::kSourcePolygon)};
    case describe::InputKind::PointsOrPolygons:
      return {int(compat::kSourcePoint), int(compat::kSourcePolygon)};
  }
  return {int(compat::kSourceAnyGeometry)};
}

bool DescribedAlgorithm::takesPolygonValues() const {
  if (!a_->polygonValueField) return false;
  for (const describe::Input& in : info().inputs)
    if (in.cli == "polygon-layer") return true;
  return false;
}

void DescribedAlgorithm::initPointHost() {
  // Every input of the description is a QGIS layer: INPUT (optional when a polygon layer's
  // value field can be analysed instead), then the mask, denominator or polygon layers.
  for (const describe::Input& in : info().inputs) {
    const bool isMain = &in == &info().inputs.front();
    const bool optional = isMain ? takesPolygonValues() : in.optional;
    auto* source = new QgsProcessingParameterFeatureSource(
        q(in.processing), text(in.label), sourceTypes(in.kind), QVariant(), optional);
    source->setHelp(text(in.help));
    addParameter(source);
    if (in.weightField)
      addParameter(weightParameter(fieldParameterName(in), q(in.processing),
                                   text(in.label) + (dutch() ? QStringLiteral(": gewichtsveld")
                                                             : QStringLiteral(": weight field"))));
    if (in.cli == "polygon-layer" && a_->polygonValueField)
      addParameter(new QgsProcessingParameterField(
          fieldParameterName(in),
          text(in.label) +
              (dutch() ? QStringLiteral(": waardeveld") : QStringLiteral(": value field")),
          QVariant(), q(in.processing), QgsProcessingParameterField::Numeric, false, true));
  }
  const describe::Input& in = info().inputs.front();
  auto* key = new QgsProcessingParameterField(
      kKeyField,
      dutch() ? QStringLiteral("Sleutelveld (bron_id)") : QStringLiteral("Key field (bron_id)"),
      QVariant(), q(in.processing), QgsProcessingParameterField::Any, false, true);
  key->setHelp(dutch() ? QStringLiteral("Leeg: de natuurlijke sleutel van een opslaglaag "
                                        "(signaal_id …), anders het object-id.")
                       : QStringLiteral("Empty: a store layer's natural key (signaal_id …), "
                                        "else the feature id."));
  key->setFlags(key->flags() | compat::kParamAdvanced);
  addParameter(key);
  for (const QString& f : {kTimeField, kTimeEndField}) {
    auto* p = new QgsProcessingParameterField(
        f,
        f == kTimeField
            ? (dutch() ? QStringLiteral("Tijdveld (begin)")
                       : QStringLiteral("Time (or window start) field"))
            : (dutch() ? QStringLiteral("Tijdveld (einde)") : QStringLiteral("Window end field")),
        QVariant(), q(in.processing), QgsProcessingParameterField::Any, false, true);
    p->setHelp(dutch() ? QStringLiteral("Leeg: waargenomen_van/waargenomen_tot (signalen) of "
                                        "datum (incidenten), zoals de opslag.")
                       : QStringLiteral("Empty: waargenomen_van/waargenomen_tot (signalen) or "
                                        "datum (incidenten), as in the store."));
    p->setFlags(p->flags() | compat::kParamAdvanced);
    addParameter(p);
  }
  addOptions();
  bool first = true;
  for (const auto& t : info().results) {
    if (t.raster)
      addParameter(new QgsProcessingParameterRasterDestination(q(t.processing), text(t.meaning),
                                                               QVariant(), !first));
    else
      addParameter(new QgsProcessingParameterFeatureSink(q(t.processing), text(t.meaning),
                                                         sinkType(t.geometry), QVariant(), !first));
    first = false;
  }
  auto* write = new QgsProcessingParameterBoolean(
      kWriteToStore,
      dutch() ? QStringLiteral("Uitkomst ook in de Veldwacht-opslag van de invoer schrijven")
              : QStringLiteral("Also write the result into the input's Veldwacht store"),
      false);
  addParameter(write);
  auto* name =
      new QgsProcessingParameterString(kStoreOutput,
                                       dutch() ? QStringLiteral("Naam van de uitkomst in de opslag")
                                               : QStringLiteral("Result name in the store"),
                                       q(a_->defaultOutput));
  name->setFlags(name->flags() | compat::kParamAdvanced);
  addParameter(name);
}

void DescribedAlgorithm::initStoreHost() {
  // A GeoPackage, a PostgreSQL connection string or a saved connection's name (store_source.h):
  // no extension and a filter without one, since Processing demands the filter's extension of
  // the value (and QGIS's default filter is "*.*").
  auto* storeParameter = new QgsProcessingParameterFile(
      kStore, dutch() ? QStringLiteral("Veldwacht-opslag") : QStringLiteral("Veldwacht store"),
      QgsProcessingParameterFile::File, QString(), QVariant(), false,
      QStringLiteral("All files (*)"));
  storeParameter->setHelp(
      QStringLiteral("A GeoPackage, postgresql://… or the name of a "
                     "PostgreSQL connection saved in QGIS"));
  addParameter(storeParameter);
  for (const describe::Input& in : info().inputs) {
    auto* layer =
        new QgsProcessingParameterString(q(in.processing), text(in.label), q(in.defaultLayer),
                                         false, in.optional || in.defaultLayer.empty());
    layer->setHelp(text(in.help));
    addParameter(layer);
    if (in.filter) {
      auto* where = new QgsProcessingParameterString(
          whereParameterName(in),
          text(in.label) + (dutch() ? QStringLiteral(": filter") : QStringLiteral(": filter")),
          QVariant(), false, true);
      where->setFlags(where->flags() | compat::kParamAdvanced);
      addParameter(where);
    }
    if (in.weightField || (in.kind == describe::InputKind::Polygons && a_->polygonValueField &&
                           in.cli == "polygon-layer")) {
      auto* field = new QgsProcessingParameterString(
          fieldParameterName(in),
          text(in.label) +
              (in.weightField
                   ? (dutch() ? QStringLiteral(": gewichtsveld") : QStringLiteral(": weight field"))
                   : (dutch() ? QStringLiteral(": waardeveld") : QStringLiteral(": value field"))),
          QVariant(), false, true);
      addParameter(field);
    }
  }
  addOptions();
  // The result name: none for a runner without result tables (the schouw import); optional
  // when the runner chooses it itself (plan_vs_done: <plan>_gedaan).
  if (!info().results.empty())
    addParameter(new QgsProcessingParameterString(
        kOutputName,
        dutch() ? QStringLiteral("Naam van de uitkomst") : QStringLiteral("Result name"),
        q(a_->defaultOutput), false, a_->defaultOutput.empty()));
  for (const auto& t : info().results) {
    if (t.raster)
      addOutput(new QgsProcessingOutputRasterLayer(q(t.processing), text(t.meaning)));
    else
      addOutput(new QgsProcessingOutputVectorLayer(q(t.processing), text(t.meaning),
                                                   sinkType(t.geometry)));
  }
  // Every store algorithm returns its report (the lines the CLI prints). A runner without
  // result tables writes the store's own layers (the schouw import): those layers and the rows
  // this run added to them (its veldwacht_imports rows) are its outputs.
  addOutput(new QgsProcessingOutputString(
      kReport, dutch() ? QStringLiteral("Verslag") : QStringLiteral("Report")));
  if (info().results.empty()) {
    addOutput(new QgsProcessingOutputMultipleLayers(
        kLayers, dutch() ? QStringLiteral("Geschreven lagen") : QStringLiteral("Layers written")));
    addOutput(new QgsProcessingOutputNumber(
        kRows, dutch() ? QStringLiteral("Geschreven rijen") : QStringLiteral("Rows written")));
  }
}

RunSettings DescribedAlgorithm::settings(const QVariantMap& parameters,
                                         QgsProcessingContext& context) const {
  // Only values that differ from the description's default are set: the dialog and
  // qgis_process pass every parameter, and two options bound to one field (ST-DBSCAN's
  // EPS_SECONDS and EPS_DAYS) must not undo each other with a default.
  RunSettings s;
  for (const auto& o : info().options)
    if (auto v = optionValue(*this, o, parameters, context); v && !(*v == o.defaultValue))
      s.values.emplace_back(o.processing, std::move(*v));
  return s;
}

QVariantMap DescribedAlgorithm::processAlgorithm(const QVariantMap& parameters,
                                                 QgsProcessingContext& context,
                                                 QgsProcessingFeedback* feedback) {
  QVariantMap outputs;
  runCore([&] {
    outputs = store_ ? runStoreHost(parameters, context, feedback)
                     : runPointHost(parameters, context, feedback);
  });
  return outputs;
}

std::vector<GivenInput> DescribedAlgorithm::givenInputs(const QVariantMap& parameters,
                                                        QgsProcessingContext& context,
                                                        RunSettings& s,
                                                        LayerOrigin& storeOrigin) const {
  // The inputs given, with their store table names (what the request records), then checked:
  // every option is refused before anything is read.
  std::vector<GivenInput> given;
  for (const describe::Input& in : info().inputs) {
    const QString name = q(in.processing);
    if (!parameters.contains(name) || compat::isNullValue(parameters.value(name))) {
      if (in.cli == "layer" ? !takesPolygonValues() : !in.optional)
        throw geo::OptionError(in.processing, "no layer given; this input is required");
      s.inputs.push_back({in.cli, "", "", ""});
      continue;
    }
    GivenInput g{&in, originOf(*this, parameters, name, context), QString()};
    if (parameterDefinition(fieldParameterName(in)))
      g.field = parameterAsString(parameters, fieldParameterName(in), context);
    if (storeOrigin.table.empty()) storeOrigin = g.origin;
    s.inputs.push_back({in.cli, g.origin.table, "", g.field.toStdString()});
    given.push_back(std::move(g));
  }
  a_->check(s);
  return given;
}

layers::AnalysisInputs DescribedAlgorithm::readInputs(const QVariantMap& parameters,
                                                      QgsProcessingContext& context,
                                                      QgsProcessingFeedback* feedback,
                                                      const std::vector<GivenInput>& given) const {
  // Read: 0–10 % of the bar.
  layers::AnalysisInputs inputs;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const GivenInput& g = given[i];
    const QString name = q(g.desc->processing);
    const double b = 0.1 * double(i) / double(given.size()),
                 e = 0.1 * double(i + 1) / double(given.size());
    if (g.desc->cli == "layer" || g.desc->cli == "denominator-layer") {
      layers::PointInput points =
          readPointInput(*this, parameters, name, context, feedback, g.origin.table, g.field,
                         fieldParameterName(*g.desc), g.desc->keys, b, e);
      (g.desc->cli == "layer" ? inputs.points : inputs.denominator) = std::move(points);
    } else {
      readUnitsInput(parameters, context, feedback, g, inputs);
    }
  }
  if (!inputs.points && !inputs.polygons)
    throw geo::OptionError("INPUT", "give a point layer, or a polygon layer and its value field");
  return inputs;
}

/// A polygon input `g` (units to count in, or a mask) into `into`.
void DescribedAlgorithm::readUnitsInput(const QVariantMap& parameters,
                                        QgsProcessingContext& context,
                                        QgsProcessingFeedback* feedback, const GivenInput& g,
                                        layers::AnalysisInputs& into) const {
  const QString name = q(g.desc->processing);
  if (g.desc->cli == "polygon-layer")
    into.polygons = readUnits(*this, parameters, name, context, feedback, g.origin.table, g.field,
                              fieldParameterName(*g.desc));
  else
    into.mask = readPolygonWkb(*this, parameters, name, context, feedback);
}

/// Hands a streamed raster result to a GeoTIFF written band by band (GeoTiffRowWriter).
class GeoTiffResultSink final : public layers::RasterResultSink {
 public:
  GeoTiffResultSink(geo::OutputFile& out, geo::GeoTiffOptions options)
      : out_(out), options_(std::move(options)) {}
  void begin(const layers::RasterResult& header) override {
    style_ = header.style;
    writer_ = std::make_unique<geo::GeoTiffRowWriter>(out_, header.tiffMetadata, options_);
    writer_->begin(header.raster);
  }
  void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) override {
    writer_->rows(rowBegin, rowEnd, values);
  }
  /// Closes the file (false: nothing was begun).
  bool finish() {
    if (!writer_) return false;
    writer_->finish();
    return true;
  }
  const std::string& style() const { return style_; }

 private:
  geo::OutputFile& out_;
  geo::GeoTiffOptions options_;
  std::unique_ptr<geo::GeoTiffRowWriter> writer_;
  std::string style_;
};

std::optional<QVariantMap> DescribedAlgorithm::runStreamed(
    const QVariantMap& parameters, QgsProcessingContext& context, QgsProcessingFeedback* feedback,
    const RunSettings& s, const std::vector<GivenInput>& given) const {
  // Only a description whose one result is a raster, a request that streams, a raster file
  // asked for, and a main input the fast GeoPackage read streams.
  if (!a_->buildStreamed || info().results.size() != 1 || !info().results.front().raster)
    return std::nullopt;
  if (!a_->streams(s)) {
    if (feedback) feedback->pushDebugInfo(QStringLiteral("Not streamed: a dual or binned KDE"));
    return std::nullopt;
  }
  const describe::ResultTable& t = info().results.front();
  const QString path = parameterAsOutputLayer(parameters, q(t.processing), context);
  const GivenInput* main = streamedMainInput(given, {"mask-layer"});
  if (path.isEmpty() || !main) return std::nullopt;
  const std::optional<PointStreamSource> source = pointStreamSource(
      *this, parameters, q(main->desc->processing), context, feedback, main->field);
  if (!source) return std::nullopt;
  geo::PointSpill spill(!main->field.isEmpty(), QgsProcessingUtils::tempFolder().toStdString());
  FeedbackProgress progress(feedback);
  geo::SubProgress readProgress(progress, 0.0, 0.09);
  const long long skipped =
      streamPoints(*source, context, feedback, main->origin.table, spill, readProgress);
  if (skipped > 0 && feedback)
    feedback->pushWarning(
        QCoreApplication::translate("Veldwacht", "%1 features skipped").arg(skipped));
  if (spill.size() == 0)
    throw geo::InputError({main->origin.table, std::nullopt, ""},
                          "the selection holds no rows; nothing to analyse");
  geo::returnFreedMemory();  // what the reader held (SQLite's page cache)
  std::vector<std::vector<std::uint8_t>> mask;
  for (const GivenInput& g : given)
    if (g.desc->cli == "mask-layer")
      mask = readPolygonWkb(*this, parameters, q(g.desc->processing), context, feedback);

  // Build and write band by band: 10–100 %. QGIS's file dialog asked the user before an
  // existing destination was chosen: replace it (still through a temporary file and never
  // through a symbolic link).
  layers::PointInput about;
  about.layer = main->origin.table;
  const layers::StreamedPoints points{spill, spill.extent(), spill.size(), std::move(about)};
  geo::GeoTiffOptions options;
  options.output.overwrite = true;
  options.blockSize = 128;         // one row of blocks in GDAL's cache: 128 rows of float
  options.compressionThreads = 1;  // between the bands, on this thread: no workers' buffers
  geo::OutputFile out(path.toStdString(), options.output);
  GeoTiffResultSink sink(out, options);
  geo::SubProgress buildProgress(progress, 0.1, 1.0);
  const layers::AnalysisResult result = a_->buildStreamed(points, mask, s, sink, buildProgress);
  if (!sink.finish()) throw std::logic_error("the streamed builder wrote no raster");
  out.commit();
  if (!sink.style().empty())
    styleOutputOnLoad(context, feedback, path,
                      QStringLiteral("results/%1.qml").arg(q(sink.style())));
  pushReport(feedback, result.report);
  QVariantMap outputs;
  outputs.insert(q(t.processing), path);
  return outputs;
}

std::optional<QVariantMap> DescribedAlgorithm::runCountedStreamed(
    const QVariantMap& parameters, QgsProcessingContext& context, QgsProcessingFeedback* feedback,
    const RunSettings& s, const std::vector<GivenInput>& given) const {
  // Only a builder that counts as it reads, a request that streams, and a main input the fast
  // GeoPackage read streams; the other inputs (polygons, a mask) are read first.
  if (!a_->buildFromStream) return std::nullopt;
  if (!a_->streams(s)) {
    if (feedback) feedback->pushDebugInfo(QStringLiteral("Not streamed: a denominator"));
    return std::nullopt;
  }
  const GivenInput* main = streamedMainInput(given, {"mask-layer", "polygon-layer"});
  if (!main) return std::nullopt;
  const std::optional<PointStreamSource> source = pointStreamSource(
      *this, parameters, q(main->desc->processing), context, feedback, main->field);
  if (!source) return std::nullopt;
  layers::AnalysisInputs units;
  for (const GivenInput& g : given)
    if (&g != main) readUnitsInput(parameters, context, feedback, g, units);

  // Count (0–90 %: the index or grid, then the points as they are read), the table 90–100 %.
  layers::PointStream points;
  points.weighted = !main->field.isEmpty();
  points.about.layer = main->origin.table;
  points.spillDirectory = QgsProcessingUtils::tempFolder().toStdString();
  long long skipped = 0;
  points.read = [&](geo::PointSink& sink, geo::Progress& p) {
    skipped = streamPoints(*source, context, feedback, main->origin.table, sink, p);
  };
  FeedbackProgress progress(feedback);
  geo::SubProgress buildProgress(progress, 0.0, 0.9);
  const layers::AnalysisResult result = a_->buildFromStream(points, units, s, buildProgress);
  if (skipped > 0 && feedback)
    feedback->pushWarning(
        QCoreApplication::translate("Veldwacht", "%1 features skipped").arg(skipped));
  units = layers::AnalysisInputs{};
  geo::returnFreedMemory();  // the reader's, the index's and the counter's working memory
  QVariantMap outputs = writeResultTables(parameters, context, feedback, result,
                                          s.output.empty() ? a_->defaultOutput : s.output, 0.1);
  pushReport(feedback, result.report);
  return outputs;
}

QString DescribedAlgorithm::writeRaster(const QVariantMap& parameters,
                                        const describe::ResultTable& t,
                                        const layers::RasterResult& raster,
                                        QgsProcessingContext& context,
                                        QgsProcessingFeedback* feedback) const {
  const QString path = parameterAsOutputLayer(parameters, q(t.processing), context);
  if (path.isEmpty()) return {};
  // QGIS's file dialog asked the user before an existing destination was chosen: replace it
  // (still through a temporary file and never through a symbolic link).
  geo::GeoTiffOptions options;
  options.output.overwrite = true;
  geo::writeGeoTiff(path.toStdString(), raster.raster, raster.tiffMetadata, options);
  if (!raster.style.empty())
    styleOutputOnLoad(context, feedback, path,
                      QStringLiteral("results/%1.qml").arg(q(raster.style)));
  return path;
}

/// Each table of the description as the result layer <output><suffix> (a raster as a GeoTIFF)
/// to its output; progress 90 % to 90 % + `share`.
QVariantMap DescribedAlgorithm::writeResultTables(const QVariantMap& parameters,
                                                  QgsProcessingContext& context,
                                                  QgsProcessingFeedback* feedback,
                                                  const layers::AnalysisResult& result,
                                                  const std::string& output, double share) const {
  QVariantMap outputs;
  const std::size_t n = info().results.size();
  for (std::size_t i = 0; i < n; ++i) {
    const describe::ResultTable& t = info().results[i];
    const QString name = q(t.processing);
    QString dest;
    if (t.raster) {
      if (result.raster) dest = writeRaster(parameters, t, *result.raster, context, feedback);
    } else {
      const auto layer =
          std::find_if(result.layers.begin(), result.layers.end(),
                       [&](const layers::ResultLayer& l) { return l.name == output + t.suffix; });
      if (layer == result.layers.end()) continue;
      const double b = 0.9 + share * double(i) / double(n),
                   e = 0.9 + share * double(i + 1) / double(n);
      dest = writeResultTable(*this, parameters, name, context, feedback, *layer,
                              result.columnsOf(layer->name), b, e);
      if (!dest.isEmpty() && !t.style.empty())
        styleOutputOnLoad(context, feedback, dest,
                          QStringLiteral("results/%1.qml").arg(q(t.style)));
    }
    if (!dest.isEmpty()) outputs.insert(name, dest);
  }
  return outputs;
}

QVariantMap DescribedAlgorithm::runPointHost(const QVariantMap& parameters,
                                             QgsProcessingContext& context,
                                             QgsProcessingFeedback* feedback) {
  RunSettings s = settings(parameters, context);
  s.output = parameterAsString(parameters, kStoreOutput, context).toStdString();
  const bool toStore = parameterAsBoolean(parameters, kWriteToStore, context);
  s.declaredTablesOnly = !toStore;  // the store gets every table, as from the CLI
  LayerOrigin origin;
  const std::vector<GivenInput> given = givenInputs(parameters, context, s, origin);
  // A GeoPackage streamed in: a raster made band by band, neither the points nor the surface
  // held; or counts, the points counted as they are read (into a store: the CLI's writers).
  if (!toStore) {
    std::optional<QVariantMap> outputs = runStreamed(parameters, context, feedback, s, given);
    if (!outputs) outputs = runCountedStreamed(parameters, context, feedback, s, given);
    if (outputs) {
      // What the run held (the bands, the counter, the writers, the point file's buffers):
      // QGIS's own end of the run (its exit touches a few MiB) then starts from about where the
      // run began, not from the run's top.
      geo::returnFreedMemory();
      return *outputs;
    }
  }
  // Read (0–10 %) after every option and input was checked.
  layers::AnalysisInputs read = readInputs(parameters, context, feedback, given);
  geo::returnFreedMemory();  // what the readers held besides the inputs
  std::unique_ptr<layers::Store> store;
  if (toStore) {
    if (!origin.store)
      throw geo::OptionError(kWriteToStore.toStdString(),
                             "the input layer is not a layer of a Veldwacht store (a GeoPackage "
                             "or a PostGIS database)");
    try {
      // The CLI's way to a store of either kind; its result writer (the PostGIS one for a
      // database) writes and registers the tables.
      store = layers::openStore(origin.store->store.toStdString(), true);
    } catch (const geo::Error& e) {
      throw geo::OptionError(
          kWriteToStore.toStdString(),
          "'" + origin.store->shown.toStdString() + "' is not a Veldwacht store: " + e.what());
    }
  }

  // Build 10–90 %, the outputs 90–100 % (the store's share last).
  FeedbackProgress progress(feedback);
  layers::AnalysisResult result;
  {  // the inputs are freed before the outputs are written: the result tables hold what is kept
    const layers::AnalysisInputs inputs = std::move(read);
    read = layers::AnalysisInputs{};
    geo::SubProgress buildProgress(progress, 0.1, 0.9);
    result = a_->build(inputs, s, buildProgress);
  }
  geo::returnFreedMemory();  // the inputs and the builder's working memory

  QVariantMap outputs =
      writeResultTables(parameters, context, feedback, result,
                        s.output.empty() ? a_->defaultOutput : s.output, store ? 0.07 : 0.1);
  pushReport(feedback, result.report);
  if (store) {
    geo::SubProgress writeProgress(progress, 0.97, 1.0);
    const layers::RunReport written =
        layers::writeToStore(*store, std::move(result), writeProgress);
    for (const auto& l : written.layers)
      if (feedback)
        feedback->pushInfo(QCoreApplication::translate("Veldwacht", "Written into %1: %2")
                               .arg(origin.store->shown, q(l)));
    for (const auto& f : written.files)
      if (feedback)
        feedback->pushInfo(QCoreApplication::translate("Veldwacht", "Written: %1").arg(q(f)));
  }
  return outputs;
}

QVariantMap DescribedAlgorithm::runStoreHost(const QVariantMap& parameters,
                                             QgsProcessingContext& context,
                                             QgsProcessingFeedback* feedback) {
  const QString path = parameterAsFile(parameters, kStore, context);
  RunSettings s = settings(parameters, context);
  s.output = parameterAsString(parameters, kOutputName, context).toStdString();
  for (const describe::Input& in : info().inputs) {
    InputChoice c;
    c.cli = in.cli;
    c.layer = parameterAsString(parameters, q(in.processing), context).toStdString();
    if (in.filter)
      c.where = parameterAsString(parameters, whereParameterName(in), context).toStdString();
    if (parameterDefinition(fieldParameterName(in)))
      c.field = parameterAsString(parameters, fieldParameterName(in), context).toStdString();
    s.inputs.push_back(std::move(c));
  }
  a_->check(s);
  if (path.isEmpty()) throw geo::OptionError(kStore.toStdString(), "no store given");
  const StoreSource source = resolveStoreSource(path);  // a file, postgresql://…, a saved name
  std::unique_ptr<layers::Store> store = layers::openStore(source.store.toStdString(), true);
  FeedbackProgress progress(feedback);
  layers::RunReport report;
  std::int64_t lastImport = 0;
  for (const layers::ImportInfo& i : store->imports())
    lastImport = std::max(lastImport, i.importId);
  if (a_->buildFromStore) {
    geo::SubProgress buildProgress(progress, 0.0, 0.8);
    layers::AnalysisResult result = a_->buildFromStore(*store, s, buildProgress);
    geo::SubProgress writeProgress(progress, 0.8, 1.0);
    report = layers::writeToStore(*store, std::move(result), writeProgress);
  } else {
    report = a_->runInStore(*store, s, progress);
  }
  // The rows this run added to the store's own layers, as veldwacht_imports recorded them.
  std::int64_t rows = 0;
  for (const layers::ImportInfo& i : store->imports())
    if (i.importId > lastImport) rows += i.rows;
  store.reset();
  pushReport(feedback, report);
  QVariantMap outputs =
      storeOutputs(source, s.output.empty() ? a_->defaultOutput : s.output, report, context);
  QStringList lines;
  for (const auto& l : report.lines) lines << q(l);
  for (const auto& w : report.warnings) lines << q(w);
  outputs.insert(kReport, lines.join(QLatin1Char('\n')));
  if (info().results.empty()) {
    QStringList written;
    for (const auto& l : report.layers) written << source.processingLayerUri(q(l));
    outputs.insert(kLayers, written);
    outputs.insert(kRows, qlonglong(rows));
  }
  return outputs;
}

QVariantMap DescribedAlgorithm::storeOutputs(const StoreSource& source, const std::string& output,
                                             const layers::RunReport& report,
                                             QgsProcessingContext& context) const {
  const QString& storePath = source.store;
  QVariantMap outputs;
  const std::set<std::string> written(report.layers.begin(), report.layers.end());
  for (const auto& t : info().results) {
    const QString geometryType = t.geometry == layers::GeometryKind::None
                                     ? QString()
                                     : QgsWkbTypes::displayString(wkbType(t.geometry));
    QString uri;
    QString layerName;
    if (t.raster) {
      for (const auto& f : report.files)
        if (QString::fromStdString(f).endsWith(QLatin1String(".tif"), Qt::CaseInsensitive)) {
          uri = q(f);
          if (QFileInfo(uri).isRelative()) uri = QFileInfo(storePath).absoluteDir().filePath(uri);
          layerName = QFileInfo(uri).completeBaseName();
        }
    } else if (written.count(output + t.suffix)) {
      layerName = q(output + t.suffix);
      uri = source.processingLayerUri(layerName, geometryType);
    } else if (output.empty() && !t.suffix.empty()) {
      // The runner chose the name itself (plan_vs_done: <plan>_gedaan): the one layer written
      // with this table's suffix.
      std::vector<std::string> named;
      for (const auto& l : report.layers)
        if (l.size() > t.suffix.size() &&
            l.compare(l.size() - t.suffix.size(), t.suffix.size(), t.suffix) == 0)
          named.push_back(l);
      if (named.size() == 1) {
        layerName = q(named.front());
        uri = source.processingLayerUri(layerName, geometryType);
      }
    }
    if (uri.isEmpty()) continue;
    outputs.insert(q(t.processing), uri);
    if (context.project())
      context.addLayerToLoadOnCompletion(
          uri, QgsProcessingContext::LayerDetails(layerName, context.project(), q(t.processing)));
  }
  return outputs;
}

}  // namespace

Algorithm* makeDescribedAlgorithm(std::shared_ptr<const ErasedAnalysis> analysis, bool storeHost) {
  const describe::AnalysisInfo& info = *analysis->info;
  if (!storeHost && (info.inputs.empty() || info.inputs.front().cli != "layer" || !analysis->build))
    throw std::logic_error("veldwacht:" + info.id +
                           ": a point algorithm needs a point input first and a builder");
  if (storeHost && !analysis->buildFromStore && !analysis->runInStore)
    throw std::logic_error("veldwacht:store_" + info.id + ": no store runner");
  return new DescribedAlgorithm(std::move(analysis), storeHost);
}

}  // namespace veldwacht::plugin
