// Issue 8 item 2, "done when": every analysis description run through the CLI (the veldwacht
// binary) into a store and through Processing on the same input gives the same result tables:
// the same field names, types and order, and the same values row by row (and the same GeoTIFF
// for density). Processing runs twice per analysis where it can:
//   - veldwacht:store_<id> on a copy of the store (the store variant, every description);
//   - veldwacht:<id> on the store's layer opened in QGIS, with WRITE_TO_STORE (the point
//     algorithms made from the descriptions): its GeoPackage outputs AND the tables it wrote
//     into its store, with their veldwacht_resultaten rows (algorithm, parameters, input, seed).
// The store is built in code: seeded signalRecords, incidents over a year, two business parks.
//
// The store-only analyses (risk, address list, planning, network, fieldwork) run through the
// CLI and veldwacht:store_<id> on copies of one base store: the shipped demo store
// sample-data/eemsdelta.gpkg (NWB wegvakken, BAG panden and verblijfsobjecten, VAB, partners,
// signals with dates, buurten) with small selections, or, for the fieldwork, a store built in
// code (partners, VAB, a plan, schouw results). Same tables, values and registry rows again.
#include "plugin/json_compat.h"  // before any QGIS header

#include <gtest/gtest.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <qgsapplication.h>
#include <qgsprocessingalgorithm.h>
#include <qgsprocessingcontext.h>
#include <qgsprocessingfeedback.h>
#include <qgsprocessingregistry.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "layers/analyses/description.h"
#include "layers/catalog/catalog.h"
#include "layers/fieldwork/schouw_import.h"
#include "layers/results/results.h"
#include "layers/store/store.h"
#include "tests/layers/analyses/fixtures.h"
#include "tests/layers/fieldwork/fieldwork_fixtures.h"

namespace {

namespace describe = veldwacht::layers::describe;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

/// One analysis run: the description, its inputs (CLI input name → store layer) and the
/// options that differ from the defaults, as typed on the command line.
struct Case {
  std::string id;
  std::map<std::string, std::string> inputs;
  std::vector<std::pair<std::string, std::string>> options;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> list = {
      {"dbscan", {{"layer", "signalen"}}, {{"eps", "300"}, {"min-pts", "3"}}},
      {"stdbscan", {{"layer", "signalen"}}, {{"eps", "300"}, {"eps-days", "20"}, {"min-pts", "3"}}},
      {"hdbscan", {{"layer", "signalen"}}, {{"min-cluster-size", "4"}}},
      {"kmeans", {{"layer", "signalen"}}, {{"k", "4"}, {"seed", "7"}}},
      {"gridcount", {{"layer", "signalen"}}, {{"cell-size", "1000"}, {"shape", "square"}}},
      {"polygoncount", {{"layer", "incidenten"}, {"polygon-layer", "bedrijventerreinen"}}, {}},
      {"kde", {{"layer", "incidenten"}}, {{"radius", "500"}, {"pixel-size", "100"}}},
      {"dualkde",
       {{"layer", "incidenten"}, {"denominator-layer", "signalen"}},
       {{"radius", "1500"}, {"pixel-size", "200"}}},
      {"gistar", {{"layer", "incidenten"}}, {{"cell-size", "250"}, {"permutations", "99"}}},
      {"localmoran", {{"layer", "incidenten"}}, {{"cell-size", "250"}, {"permutations", "99"}}},
      {"optimizedhotspots", {{"layer", "incidenten"}}, {}},
      {"globalmoran", {{"layer", "incidenten"}}, {{"cell-size", "250"}}},
      {"nearestneighbourindex", {{"layer", "incidenten"}}, {}},
      {"ripleyk", {{"layer", "incidenten"}}, {{"simulations", "19"}}},
      {"emerginghotspots", {{"layer", "incidenten"}}, {{"bin-size", "250"}}},
  };
  return list;
}

/// The base store: 14 planted + 46 seeded signalRecords, 300 incidents over 2024 with a late burst,
/// two business parks.
void buildStore(const std::string& path) {
  std::vector<Record> signalRecords = twoGroupSignals();
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.0, 4000.0);
  const char* categories[] = {"DRUGSAFVAL", "HENNEP"};
  for (int i = 0; i < 46; ++i) {
    SignalSpec s = at(kX0 + u(rng), kY0 + u(rng));
    s.categorie = categories[i % 2];
    s.brontype = i % 2 ? "jager" : "boer";
    s.van = "2024-" + std::string(i % 9 < 9 ? "0" : "") + std::to_string(1 + i % 9) + "-1" +
            std::to_string(i % 10) + "T08:00:00";
    if (i % 4 == 0) s.tot = "2024-1" + std::to_string(i % 3) + "-01T08:00:00";
    signalRecords.push_back(signalRecord(100 + i, s));
  }
  std::vector<Record> incidents;
  std::uniform_real_distribution<double> v(0.0, 2000.0);
  int id = 0;
  for (int month = 1; month <= 12; ++month)
    for (int i = 0; i < 20; ++i) {
      char datum[16];
      std::snprintf(datum, sizeof datum, "2024-%02d-%02d", month, 1 + i % 28);
      incidents.push_back(incidentRecord(id++, kX0 + v(rng), kY0 + v(rng), datum));
    }
  std::normal_distribution<double> spot(0.0, 40.0);
  for (int month = 11; month <= 12; ++month)
    for (int i = 0; i < 30; ++i) {
      char datum[16];
      std::snprintf(datum, sizeof datum, "2024-%02d-%02d", month, 1 + i % 28);
      incidents.push_back(
          incidentRecord(id++, kX0 + 1000 + spot(rng), kY0 + 1000 + spot(rng), datum));
    }
  std::vector<Record> parks;
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("Noord")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0 + 900, kY0 + 900, 200)));
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("2")},
                            {"plan_naam", std::string("Zuid")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0, kY0, 500)));
  auto store = Store::create(path);
  std::vector<ImportBatch> batches;
  batches.push_back(batch("signalen", std::move(signalRecords)));
  batches.push_back(batch("incidenten", std::move(incidents)));
  batches.push_back(batch("bedrijventerreinen", std::move(parks)));
  store->append(batches);
}

// ---- reading tables and rasters back with GDAL ----------------------------------------------

struct Table {
  bool found = false;
  std::vector<std::string> schema;             ///< "name:type[:subtype]" in order
  std::vector<std::vector<std::string>> text;  ///< non-real values as text
  std::vector<std::vector<double>> reals;      ///< real values (NaN = NULL)
  std::vector<std::string> geometry;           ///< ISO WKT, polygons as multipolygons
};

Table readTable(const std::string& path, const std::string& layer) {
  Table t;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) return t;
  OGRLayer* l = ds->GetLayerByName(layer.c_str());
  if (!l) return t;
  t.found = true;
  OGRFeatureDefn* defn = l->GetLayerDefn();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    const OGRFieldDefn* f = defn->GetFieldDefn(i);
    std::string s =
        std::string(f->GetNameRef()) + ":" + OGRFieldDefn::GetFieldTypeName(f->GetType());
    if (f->GetSubType() != OFSTNone)
      s += std::string(":") + OGRFieldDefn::GetFieldSubTypeName(f->GetSubType());
    t.schema.push_back(s);
  }
  l->ResetReading();
  for (auto& f : *l) {
    std::vector<std::string> text;
    std::vector<double> reals;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      if (!f->IsFieldSetAndNotNull(i)) {
        text.push_back("NULL");
        reals.push_back(std::nan(""));
      } else if (defn->GetFieldDefn(i)->GetType() == OFTReal) {
        text.push_back("");
        reals.push_back(f->GetFieldAsDouble(i));
      } else {
        text.push_back(f->GetFieldAsString(i));
        reals.push_back(0.0);
      }
    }
    t.text.push_back(std::move(text));
    t.reals.push_back(std::move(reals));
    std::string wkt;
    if (const OGRGeometry* g = f->GetGeometryRef()) {
      std::unique_ptr<OGRGeometry> copy(g->clone());
      if (wkbFlatten(copy->getGeometryType()) == wkbPolygon)
        copy.reset(OGRGeometryFactory::forceToMultiPolygon(copy.release()));
      wkt = copy->exportToWkt(OGRWktOptions());
    }
    t.geometry.push_back(wkt);
  }
  return t;
}

bool close(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

/// Same schema (names, types, order) and the same values, row by row.
::testing::AssertionResult sameTable(const Table& a, const Table& b) {
  if (!a.found || !b.found) return ::testing::AssertionFailure() << "a table is missing";
  if (a.schema != b.schema) {
    std::string sa, sb;
    for (const auto& s : a.schema) sa += s + " ";
    for (const auto& s : b.schema) sb += s + " ";
    return ::testing::AssertionFailure() << "schemas differ:\n  " << sa << "\n  " << sb;
  }
  if (a.text.size() != b.text.size())
    return ::testing::AssertionFailure() << a.text.size() << " vs " << b.text.size() << " rows";
  for (std::size_t r = 0; r < a.text.size(); ++r) {
    for (std::size_t c = 0; c < a.schema.size(); ++c)
      if (a.text[r][c] != b.text[r][c] || !close(a.reals[r][c], b.reals[r][c]))
        return ::testing::AssertionFailure()
               << "row " << r << " field " << a.schema[c] << ": '" << a.text[r][c] << "' "
               << a.reals[r][c] << " vs '" << b.text[r][c] << "' " << b.reals[r][c];
    if (a.geometry[r] != b.geometry[r])
      return ::testing::AssertionFailure()
             << "row " << r << " geometry " << a.geometry[r] << " vs " << b.geometry[r];
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult sameRaster(const std::string& pathA, const std::string& pathB) {
  GDALDatasetUniquePtr a(GDALDataset::Open(pathA.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  GDALDatasetUniquePtr b(GDALDataset::Open(pathB.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!a || !b) return ::testing::AssertionFailure() << "a raster is missing";
  if (a->GetRasterXSize() != b->GetRasterXSize() || a->GetRasterYSize() != b->GetRasterYSize())
    return ::testing::AssertionFailure() << "sizes differ";
  double ga[6], gb[6];
  a->GetGeoTransform(ga);
  b->GetGeoTransform(gb);
  for (int i = 0; i < 6; ++i)
    if (ga[i] != gb[i]) return ::testing::AssertionFailure() << "geotransforms differ";
  const int n = a->GetRasterXSize() * a->GetRasterYSize();
  std::vector<double> va(static_cast<std::size_t>(n)), vb(static_cast<std::size_t>(n));
  if (a->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, a->GetRasterXSize(), a->GetRasterYSize(),
                                    va.data(), a->GetRasterXSize(), a->GetRasterYSize(),
                                    GDT_Float64, 0, 0) != CE_None ||
      b->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, b->GetRasterXSize(), b->GetRasterYSize(),
                                    vb.data(), b->GetRasterXSize(), b->GetRasterYSize(),
                                    GDT_Float64, 0, 0) != CE_None)
    return ::testing::AssertionFailure() << "cannot read";
  for (int i = 0; i < n; ++i)
    if (!close(va[std::size_t(i)], vb[std::size_t(i)]))
      return ::testing::AssertionFailure()
             << "pixel " << i << ": " << va[std::size_t(i)] << " vs " << vb[std::size_t(i)];
  return ::testing::AssertionSuccess();
}

// ---- the two hosts ----------------------------------------------------------------------------

/// `veldwacht <command> <store> --method <m> --<input> <layer> … --<option> <value> … -o cmp`.
::testing::AssertionResult runCli(const describe::AnalysisInfo& a, const Case& c,
                                  const QString& store) {
  QStringList args{QString::fromStdString(a.command), store, QStringLiteral("-o"),
                   QStringLiteral("cmp")};
  // cluster and hotspots choose by --method; aggregate, density and emerging by their inputs
  // (a polygon layer, a denominator).
  if (a.command == "cluster" || a.command == "hotspots")
    args << QStringLiteral("--method") << QString::fromStdString(a.methods.front());
  for (const auto& [input, layer] : c.inputs)
    args << QString::fromStdString("--" + input) << QString::fromStdString(layer);
  for (const auto& [option, value] : c.options)
    args << QString::fromStdString("--" + option) << QString::fromStdString(value);
  QProcess p;
  p.start(QStringLiteral(VELDWACHT_CLI), args);
  if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
    return ::testing::AssertionFailure()
           << "veldwacht " << args.join(QLatin1Char(' ')).toStdString() << " failed:\n"
           << p.readAllStandardError().toStdString();
  return ::testing::AssertionSuccess();
}

QVariant processingValue(const describe::Option& o, const std::string& text) {
  const describe::OptionValue v = describe::parseValue(o, text);
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return qlonglong(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return QString::fromStdString(std::get<std::string>(v));
}

/// The options of `c` as Processing parameters.
QVariantMap optionParameters(const describe::AnalysisInfo& a, const Case& c) {
  QVariantMap params;
  for (const auto& [option, value] : c.options) {
    const describe::Option* o = a.find(option);
    EXPECT_NE(o, nullptr) << option;
    if (o) params.insert(QString::fromStdString(o->processing), processingValue(*o, value));
  }
  return params;
}

struct ProcessingRun {
  bool ok = false;
  QVariantMap results;
  QStringList errors;
};

class Feedback : public QgsProcessingFeedback {
 public:
  void reportError(const QString& error, bool fatal) override {
    errors << error;
    QgsProcessingFeedback::reportError(error, fatal);
  }
  QStringList errors;
};

ProcessingRun runProcessing(const QString& id, const QVariantMap& params) {
  ProcessingRun run;
  std::unique_ptr<QgsProcessingAlgorithm> alg(
      QgsApplication::processingRegistry()->createAlgorithmById(id));
  EXPECT_NE(alg, nullptr) << id.toStdString();
  if (!alg) return run;
  QgsProcessingContext context;
  Feedback feedback;
  run.results = alg->run(params, context, &feedback, &run.ok);
  run.errors = feedback.errors;
  return run;
}

/// Every description of a point analysis has veldwacht:<id> (the store-only families — risk,
/// address list, planning — have only veldwacht:store_<id>).
bool isPointAlgorithm(const std::string& id) {
  return QgsApplication::processingRegistry()->algorithmById(
             QStringLiteral("veldwacht:%1").arg(QString::fromStdString(id))) != nullptr;
}

class CliVersusProcessing : public ::testing::TestWithParam<std::size_t> {};

// ---- the store-only analyses -----------------------------------------------------------------

/// Which base store a store case runs on.
enum class Base {
  Sample,    ///< sample-data/eemsdelta.gpkg: roads, BAG, VAB, partners, signals, buurten
  Field,     ///< fieldStore (partners, VAB) with the schouw CSV to import
  FieldPlan  ///< fieldStore with plan "week" and the schouw results imported
};

/// A store-only analysis: the CLI's arguments after `<command> <store>` and the Processing
/// parameters of veldwacht:store_<id> after STORE, for the same run. `storeLayers`: store layers
/// (not result tables) the run writes, compared too (the schouw import).
struct StoreCase {
  std::string id;
  Base base = Base::Sample;
  std::vector<std::string> cli;
  QVariantMap params;
  std::vector<std::string> storeLayers;
};

QVariantMap processingParams(std::initializer_list<std::pair<const char*, QVariant>> values) {
  QVariantMap m;
  for (const auto& [k, v] : values) m.insert(QString::fromLatin1(k), v);
  return m;
}

const std::vector<StoreCase>& storeCases() {
  const QString someVab = QStringLiteral("vab_id <= 'VAB-1979-0040'");
  static const std::vector<StoreCase> list = {
      {"risk_terrain",
       Base::Sample,
       {"-o", "cmp", "--cell-size", "500", "--distances", "500,1000", "--folds", "3", "--n-lambda",
        "10"},
       processingParams({{"OUTPUT_NAME", "cmp"},
                         {"CELL_SIZE", 500.0},
                         {"DISTANCES", "500,1000"},
                         {"FOLDS", 3},
                         {"N_LAMBDA", 10}}),
       {}},
      {"address_list",
       Base::Sample,
       {"-o", "cmp", "--reference-date", "2026-12-01", "--max-rows", "40"},
       processingParams(
           {{"OUTPUT_NAME", "cmp"}, {"REFERENCE_DATE", "2026-12-01"}, {"MAX_ROWS", 40}}),
       {}},
      {"plan",
       Base::Sample,
       {"-o",
        "cmp",
        "--sites",
        "vab",
        "-w",
        "vab_id <= 'VAB-1979-0040'",
        "--partners-where",
        "partner_id IN ('P01','P04','P07')",
        "--period",
        "2026-12-07/2026-12-08",
        "--shifts-per-partner",
        "1",
        "--seconds",
        "600",
        "--iterations",
        "200",
        "--threads",
        "1",
        "--seed",
        "3"},
       processingParams({{"OUTPUT_NAME", "cmp"},
                         {"SITES", "vab"},
                         {"SITES_WHERE", someVab},
                         {"PARTNERS", "partners"},
                         {"PARTNERS_WHERE", "partner_id IN ('P01','P04','P07')"},
                         {"PERIOD", "2026-12-07/2026-12-08"},
                         {"SHIFTS_PER_PARTNER", 1},
                         {"SECONDS", 600.0},
                         {"ITERATIONS", 200},
                         {"THREADS", 1},
                         {"SEED", 3}}),
       {}},
      {"areas",
       Base::Sample,
       {"-o", "cmp", "--sites", "vab", "--partners-where", "partner_id IN ('P01','P02','P04')",
        "--cell-size", "3000", "--restarts", "2"},
       processingParams({{"OUTPUT_NAME", "cmp"},
                         {"SITES", "vab"},
                         {"PARTNERS", "partners"},
                         {"PARTNERS_WHERE", "partner_id IN ('P01','P02','P04')"},
                         {"CELL_SIZE", 3000.0},
                         {"RESTARTS", 2}}),
       {}},
      {"route",
       Base::Sample,
       {"-o", "cmp", "--from-xy", "246374,598053", "--to-xy", "258400,588000", "--threads", "1"},
       processingParams({{"OUTPUT_NAME", "cmp"},
                         {"FROM_XY", "246374,598053"},
                         {"TO_XY", "258400,588000"},
                         {"THREADS", 1}}),
       {}},
      {"matrix",
       Base::Sample,
       {"-o", "cmp", "--from", "partners", "--from-where", "partner_id IN ('P01','P02')", "--to",
        "vab", "--to-where", "vab_id <= 'VAB-1979-0005'", "--threads", "1"},
       processingParams({{"OUTPUT_NAME", "cmp"},
                         {"FROM", "partners"},
                         {"FROM_WHERE", "partner_id IN ('P01','P02')"},
                         {"TO", "vab"},
                         {"TO_WHERE", "vab_id <= 'VAB-1979-0005'"},
                         {"THREADS", 1}}),
       {}},
      {"reach",
       Base::Sample,
       {"-o", "cmp", "--from", "partners", "--from-where", "partner_id = 'P01'", "--sites", "vab",
        "--sites-where", "vab_id <= 'VAB-1979-0010'", "--minutes", "5", "--threads", "1"},
       processingParams({{"OUTPUT_NAME", "cmp"},
                         {"FROM", "partners"},
                         {"FROM_WHERE", "partner_id = 'P01'"},
                         {"SITES", "vab"},
                         {"SITES_WHERE", "vab_id <= 'VAB-1979-0010'"},
                         {"MINUTES", 5.0},
                         {"THREADS", 1}}),
       {}},
      {"plan_vs_done",
       Base::FieldPlan,
       {"--plan", "week", "-o", "cmp", "--tolerantie-uren", "1"},
       processingParams({{"OUTPUT_NAME", "cmp"}, {"PLAN", "week"}, {"TOLERANCE", 1.0}}),
       {}},
      {"schouw_import",
       Base::Field,
       {"@CSV"},
       processingParams({{"FILE", "@CSV"}}),
       {"schouwresultaten", "signalen"}},
  };
  return list;
}

/// The schouw results of the fieldwork store (partners P01, P04, P07; VAB-1979-0001..3): four
/// rows, two findings with a categorie (two signals), Dutch dates, semicolons.
const char* kSchouwCsv =
    "Plek;Laag;Partner;Datum;Tijd;Bevinding;Categorie;Signaal;Foto\n"
    "VAB-1979-0001;vab;P01;2-11-2026;21:40;Schuur donker, geen activiteit;;nee;\n"
    "VAB-1979-0002;vab;P01;2-11-2026;22:15;Zoemende ventilatoren;HENNEP;ja;IMG_0412.jpg\n"
    "VAB-1979-0003;vab;P07;3-11-2026;10:05;Verse bandensporen;ACTIVITEIT;ja;IMG_0415.jpg\n"
    "VAB-1979-0003;vab;P04;4-11-2026;14.30;Niets bijzonders;;;\n";

/// The base store of `base` at `path`; the schouw CSV at `csv`.
void buildBase(Base base, const std::string& path, const std::string& csv) {
  writeText(csv, kSchouwCsv);
  if (base == Base::Sample) {
    const QString sample = QStringLiteral(VELDWACHT_SOURCE_DIR "/sample-data/eemsdelta.gpkg");
    ASSERT_TRUE(QFile::copy(sample, QString::fromStdString(path))) << sample.toStdString();
    QFile(QString::fromStdString(path))
        .setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return;
  }
  auto store = fieldStore(path);
  if (base == Base::Field) return;
  // Plan "week": P01's evening shift on 2 November visits VAB 1 and 2 (done), P07's on
  // 5 November visits VAB 3 (missed: P07 was there on the 3rd); P04's visit on the 4th is
  // unplanned.
  writePlan(*store, "week",
            {{"P01", "D1", "2026-11-02", "2026-11-02T20:00:00", "2026-11-02T23:30:00"},
             {"P07", "D2", "2026-11-05", "2026-11-05T09:00:00", "2026-11-05T12:00:00"}},
            {{"P01", "D1", 1, "vab", "VAB-1979-0001", "2026-11-02T21:30:00", "2026-11-02T21:42:00",
              kX0 + 1000, kY0},
             {"P01", "D1", 2, "vab", "VAB-1979-0002", "2026-11-02T22:10:00", "2026-11-02T22:22:00",
              kX0 + 2000, kY0},
             {"P07", "D2", 1, "vab", "VAB-1979-0003", "2026-11-05T10:00:00", "2026-11-05T10:12:00",
              kX0 + 3000, kY0}});
  const std::vector<std::string> files{csv};
  importSchouw(*store, files, SchouwImportOptions{});
}

/// `veldwacht <command> <store> <c.cli…>` (@CSV = the schouw CSV).
::testing::AssertionResult runCliStore(const describe::AnalysisInfo& a, const StoreCase& c,
                                       const QString& store, const QString& csv) {
  QStringList args{QString::fromStdString(a.command), store};
  for (const auto& arg : c.cli) args << (arg == "@CSV" ? csv : QString::fromStdString(arg));
  QProcess p;
  p.start(QStringLiteral(VELDWACHT_CLI), args);
  if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
    return ::testing::AssertionFailure()
           << "veldwacht " << args.join(QLatin1Char(' ')).toStdString() << " failed:\n"
           << p.readAllStandardError().toStdString();
  return ::testing::AssertionSuccess();
}

/// The registry rows of the results `name` (a table, or a raster's file name with the store stem
/// `stemA` / `stemB`) agree: algorithm, parameters, input, input rows, seed.
::testing::AssertionResult sameRegistry(const std::string& storeA, const std::string& stemA,
                                        const std::string& storeB, const std::string& stemB) {
  auto a = Store::open(storeA, false);
  auto b = Store::open(storeB, false);
  const auto resultsB = listResults(*b);
  std::size_t compared = 0;
  for (const ResultInfo& r : listResults(*a)) {
    const bool raster = r.layer.rfind(stemA + "_", 0) == 0;
    if (!raster && r.layer.rfind("cmp", 0) != 0) continue;  // the base store's own results
    const std::string expected = raster ? stemB + r.layer.substr(stemA.size()) : r.layer;
    const auto it = std::find_if(resultsB.begin(), resultsB.end(),
                                 [&](const ResultInfo& s) { return s.layer == expected; });
    if (it == resultsB.end())
      return ::testing::AssertionFailure() << "no registry row for " << expected;
    const ResultMetadata& x = r.metadata;
    const ResultMetadata& y = it->metadata;
    if (x.algorithm != y.algorithm || x.parametersJson != y.parametersJson ||
        x.inputLayer != y.inputLayer || x.inputRows != y.inputRows || x.seed != y.seed)
      return ::testing::AssertionFailure()
             << r.layer << ": " << x.algorithm << " " << x.parametersJson << " " << x.inputLayer
             << " " << x.inputRows << " vs " << y.algorithm << " " << y.parametersJson << " "
             << y.inputLayer << " " << y.inputRows;
    ++compared;
  }
  if (compared == 0) return ::testing::AssertionFailure() << "no result registered";
  return ::testing::AssertionSuccess();
}

class CliVersusStoreProcessing : public ::testing::TestWithParam<std::size_t> {};

TEST_P(CliVersusStoreProcessing, SameTablesAndValues) {
  const StoreCase& c = storeCases().at(GetParam());
  const describe::AnalysisInfo& a = describe::info(c.id);
  SCOPED_TRACE(c.id);
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString base = dir.filePath(QStringLiteral("base.gpkg"));
  const QString csv = dir.filePath(QStringLiteral("schouw.csv"));
  buildBase(c.base, base.toStdString(), csv.toStdString());
  if (HasFatalFailure()) return;
  const QString cli = dir.filePath(QStringLiteral("cli.gpkg"));
  const QString viaStore = dir.filePath(QStringLiteral("store.gpkg"));
  for (const QString& copy : {cli, viaStore}) ASSERT_TRUE(QFile::copy(base, copy));

  ASSERT_TRUE(runCliStore(a, c, cli, csv));

  QVariantMap params;
  for (auto it = c.params.begin(); it != c.params.end(); ++it)
    params.insert(it.key(),
                  it.value() == QVariant(QStringLiteral("@CSV")) ? QVariant(csv) : it.value());
  params.insert(QStringLiteral("STORE"), viaStore);
  const ProcessingRun store =
      runProcessing(QStringLiteral("veldwacht:store_%1").arg(QString::fromStdString(c.id)), params);
  ASSERT_TRUE(store.ok) << store.errors.join(QLatin1Char('\n')).toStdString();

  for (const describe::ResultTable& t : a.results) {
    SCOPED_TRACE(t.processing);
    if (t.raster) {
      EXPECT_TRUE(sameRaster(dir.filePath(QStringLiteral("cli_cmp.tif")).toStdString(),
                             dir.filePath(QStringLiteral("store_cmp.tif")).toStdString()));
      EXPECT_EQ(store.results.value(QString::fromStdString(t.processing)).toString(),
                dir.filePath(QStringLiteral("store_cmp.tif")));
      continue;
    }
    const Table fromCli = readTable(cli.toStdString(), "cmp" + t.suffix);
    ASSERT_TRUE(fromCli.found) << "the CLI wrote no cmp" << t.suffix;
    EXPECT_GT(fromCli.text.size(), 0u) << "cmp" << t.suffix;
    EXPECT_TRUE(sameTable(fromCli, readTable(viaStore.toStdString(), "cmp" + t.suffix)));
    EXPECT_EQ(store.results.value(QString::fromStdString(t.processing)).toString(),
              viaStore + QStringLiteral("|layername=cmp") + QString::fromStdString(t.suffix));
  }
  for (const std::string& layer : c.storeLayers) {
    SCOPED_TRACE(layer);
    const Table fromCli = readTable(cli.toStdString(), layer);
    ASSERT_TRUE(fromCli.found);
    EXPECT_GT(fromCli.text.size(), 0u);
    EXPECT_TRUE(sameTable(fromCli, readTable(viaStore.toStdString(), layer)));
  }
  if (!a.results.empty()) {
    EXPECT_TRUE(sameRegistry(cli.toStdString(), "cli", viaStore.toStdString(), "store"));
  } else {
    // An import's outputs: the layers it wrote and the rows it added (4 schouw results and the
    // 2 signals made from findings with a categorie).
    EXPECT_EQ(store.results.value(QStringLiteral("ROWS")).toLongLong(), 6);
    const QStringList written = store.results.value(QStringLiteral("LAYERS")).toStringList();
    EXPECT_TRUE(written.contains(viaStore + QStringLiteral("|layername=schouwresultaten")))
        << written.join(QLatin1Char(' ')).toStdString();
    EXPECT_TRUE(written.contains(viaStore + QStringLiteral("|layername=signalen")));
  }
  EXPECT_FALSE(store.results.value(QStringLiteral("REPORT")).toString().isEmpty());
}

INSTANTIATE_TEST_SUITE_P(EveryStoreAnalysis, CliVersusStoreProcessing,
                         ::testing::Range(std::size_t{0}, storeCases().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                           return storeCases().at(param.param).id;
                         });

// veldwacht:store_status against `veldwacht status`: the same signal row, the same history row
// and one audit row each; a jump the status path does not allow is refused by both.
TEST(CliVersusProcessingStatus, SameSignalHistoryAndAudit) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString base = dir.filePath(QStringLiteral("base.gpkg"));
  const QString csv = dir.filePath(QStringLiteral("schouw.csv"));
  buildBase(Base::FieldPlan, base.toStdString(), csv.toStdString());
  if (HasFatalFailure()) return;
  std::string signal;
  {
    auto s = Store::open(base.toStdString(), false);
    const auto rows = s->query("SELECT signaal_id FROM signalen ORDER BY signaal_id");
    ASSERT_EQ(rows.size(), 2u);
    signal = rows[0][0].value_or("");
  }
  const QString cli = dir.filePath(QStringLiteral("cli.gpkg"));
  const QString viaStore = dir.filePath(QStringLiteral("store.gpkg"));
  for (const QString& copy : {cli, viaStore}) ASSERT_TRUE(QFile::copy(base, copy));

  QProcess p;
  p.start(
      QStringLiteral(VELDWACHT_CLI),
      {QStringLiteral("status"), cli, QStringLiteral("--signaal"), QString::fromStdString(signal),
       QStringLiteral("--naar"), QStringLiteral("in_behandeling"),
       QStringLiteral("--terugkoppeling"), QStringLiteral("Opgepakt door de boa"),
       QStringLiteral("--datum"), QStringLiteral("2026-12-01")});
  ASSERT_TRUE(p.waitForFinished(60000));
  ASSERT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();

  const ProcessingRun run =
      runProcessing(QStringLiteral("veldwacht:store_status"),
                    {{QStringLiteral("STORE"), viaStore},
                     {QStringLiteral("SIGNAL"), QString::fromStdString(signal)},
                     {QStringLiteral("STATUS"), QStringLiteral("in_behandeling")},
                     {QStringLiteral("FEEDBACK"), QStringLiteral("Opgepakt door de boa")},
                     {QStringLiteral("DATE"), QStringLiteral("2026-12-01")}});
  ASSERT_TRUE(run.ok) << run.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(run.results.value(QStringLiteral("FROM")).toString(), QStringLiteral("nieuw"));
  EXPECT_EQ(run.results.value(QStringLiteral("TO")).toString(), QStringLiteral("in_behandeling"));
  EXPECT_TRUE(run.results.value(QStringLiteral("FEEDBACK_RECORDED")).toBool());

  for (const char* layer : {"signalen", "veldwacht_opvolging"}) {
    SCOPED_TRACE(layer);
    const Table fromCli = readTable(cli.toStdString(), layer);
    ASSERT_TRUE(fromCli.found);
    EXPECT_TRUE(sameTable(fromCli, readTable(viaStore.toStdString(), layer)));
  }
  const auto audit = [](const QString& path) {
    auto s = Store::open(path.toStdString(), false);
    return s->query("SELECT actie, laag, filter FROM veldwacht_audit ORDER BY fid");
  };
  EXPECT_EQ(audit(cli), audit(viaStore));
  EXPECT_FALSE(audit(viaStore).empty());

  // On to afgesloten, which is final: a further change is refused, naming the status.
  const ProcessingRun back =
      runProcessing(QStringLiteral("veldwacht:store_status"),
                    {{QStringLiteral("STORE"), viaStore},
                     {QStringLiteral("SIGNAL"), QString::fromStdString(signal)},
                     {QStringLiteral("STATUS"), QStringLiteral("afgesloten")},
                     {QStringLiteral("DATE"), QStringLiteral("2026-12-02")}});
  EXPECT_TRUE(back.ok) << "in_behandeling -> afgesloten is allowed";
  const ProcessingRun again =
      runProcessing(QStringLiteral("veldwacht:store_status"),
                    {{QStringLiteral("STORE"), viaStore},
                     {QStringLiteral("SIGNAL"), QString::fromStdString(signal)},
                     {QStringLiteral("STATUS"), QStringLiteral("doorgezet")}});
  EXPECT_FALSE(again.ok);
  EXPECT_TRUE(again.errors.join(QLatin1Char(' ')).contains(QLatin1String("afgesloten")))
      << again.errors.join(QLatin1Char(' ')).toStdString();
}

// What qgis_process and the dialog ask for: the import has no result name, plan_vs_done's is
// optional (the runner names its tables <plan>_gedaan_…), and the outputs are those tables.
TEST(StoreAlgorithms, ResultNamesOnlyWhereTheyAreNeeded) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString store = dir.filePath(QStringLiteral("base.gpkg"));
  buildBase(Base::FieldPlan, store.toStdString(),
            dir.filePath(QStringLiteral("s.csv")).toStdString());
  if (HasFatalFailure()) return;
  auto* registry = QgsApplication::processingRegistry();
  const QgsProcessingAlgorithm* import =
      registry->algorithmById(QStringLiteral("veldwacht:store_schouw_import"));
  ASSERT_NE(import, nullptr);
  EXPECT_EQ(import->parameterDefinition(QStringLiteral("OUTPUT_NAME")), nullptr);
  const QgsProcessingAlgorithm* pvd =
      registry->algorithmById(QStringLiteral("veldwacht:store_plan_vs_done"));
  ASSERT_NE(pvd, nullptr);
  const QVariantMap params{{QStringLiteral("STORE"), store},
                           {QStringLiteral("PLAN"), QStringLiteral("week")}};
  QgsProcessingContext context;
  QString why;
  EXPECT_TRUE(pvd->checkParameterValues(params, context, &why)) << why.toStdString();
  const ProcessingRun run = runProcessing(QStringLiteral("veldwacht:store_plan_vs_done"), params);
  ASSERT_TRUE(run.ok) << run.errors.join(QLatin1Char('\n')).toStdString();
  EXPECT_EQ(run.results.value(QStringLiteral("VISITS")).toString(),
            store + QStringLiteral("|layername=week_gedaan_bezoeken"));
  EXPECT_EQ(run.results.value(QStringLiteral("PARTNERS")).toString(),
            store + QStringLiteral("|layername=week_gedaan_partners"));
}

TEST(CliVersusProcessingCases, EveryDescriptionHasACase) {
  std::set<std::string> ids;
  for (const Case& c : cases()) ids.insert(c.id);
  for (const StoreCase& c : storeCases()) ids.insert(c.id);
  for (const auto* a : describe::all()) EXPECT_TRUE(ids.count(a->id)) << a->id;
}

TEST_P(CliVersusProcessing, SameTablesAndValues) {
  const Case& c = cases().at(GetParam());
  const describe::AnalysisInfo& a = describe::info(c.id);
  SCOPED_TRACE(c.id);
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString base = dir.filePath(QStringLiteral("base.gpkg"));
  buildStore(base.toStdString());
  const QString cli = dir.filePath(QStringLiteral("cli.gpkg"));
  const QString viaStore = dir.filePath(QStringLiteral("store.gpkg"));
  const QString viaLayer = dir.filePath(QStringLiteral("layer.gpkg"));
  for (const QString& copy : {cli, viaStore, viaLayer}) ASSERT_TRUE(QFile::copy(base, copy));

  ASSERT_TRUE(runCli(a, c, cli));

  // The store variant on a copy of the store.
  QVariantMap params = optionParameters(a, c);
  params.insert(QStringLiteral("STORE"), viaStore);
  params.insert(QStringLiteral("OUTPUT_NAME"), QStringLiteral("cmp"));
  for (const describe::Input& in : a.inputs) {
    const auto it = c.inputs.find(in.cli);
    params.insert(QString::fromStdString(in.processing),
                  it == c.inputs.end() ? QString() : QString::fromStdString(it->second));
  }
  const ProcessingRun store =
      runProcessing(QStringLiteral("veldwacht:store_%1").arg(QString::fromStdString(c.id)), params);
  ASSERT_TRUE(store.ok) << store.errors.join(QLatin1Char('\n')).toStdString();

  for (const describe::ResultTable& t : a.results) {
    SCOPED_TRACE(t.processing);
    if (t.raster) {
      EXPECT_TRUE(sameRaster(dir.filePath(QStringLiteral("cli_cmp.tif")).toStdString(),
                             dir.filePath(QStringLiteral("store_cmp.tif")).toStdString()));
      EXPECT_EQ(store.results.value(QString::fromStdString(t.processing)).toString(),
                dir.filePath(QStringLiteral("store_cmp.tif")));
      continue;
    }
    const Table fromCli = readTable(cli.toStdString(), "cmp" + t.suffix);
    ASSERT_TRUE(fromCli.found) << "the CLI wrote no cmp" << t.suffix;
    EXPECT_GT(fromCli.text.size(), 0u);
    EXPECT_TRUE(sameTable(fromCli, readTable(viaStore.toStdString(), "cmp" + t.suffix)));
  }

  // The point algorithm on the store's layers opened in QGIS (every input: points, mask,
  // denominator, polygons), written to GeoPackage / GeoTIFF outputs and, with WRITE_TO_STORE,
  // into its own store.
  if (!isPointAlgorithm(c.id)) return;
  QVariantMap p = optionParameters(a, c);
  for (const describe::Input& in : a.inputs)
    if (const auto it = c.inputs.find(in.cli); it != c.inputs.end())
      p.insert(QString::fromStdString(in.processing),
               QStringLiteral("%1|layername=%2").arg(viaLayer, QString::fromStdString(it->second)));
  p.insert(QStringLiteral("WRITE_TO_STORE"), true);
  p.insert(QStringLiteral("STORE_OUTPUT"), QStringLiteral("cmp"));
  const auto outPath = [&](const describe::ResultTable& t) {
    return dir.filePath(QStringLiteral("out_%1.%2")
                            .arg(QString::fromStdString(t.processing),
                                 t.raster ? QStringLiteral("tif") : QStringLiteral("gpkg")));
  };
  for (const describe::ResultTable& t : a.results)
    p.insert(QString::fromStdString(t.processing), outPath(t));
  const ProcessingRun layer =
      runProcessing(QStringLiteral("veldwacht:%1").arg(QString::fromStdString(c.id)), p);
  ASSERT_TRUE(layer.ok) << layer.errors.join(QLatin1Char('\n')).toStdString();
  for (const describe::ResultTable& t : a.results) {
    SCOPED_TRACE(t.processing);
    const QString out = outPath(t);
    EXPECT_EQ(layer.results.value(QString::fromStdString(t.processing)).toString(), out);
    if (t.raster) {
      const std::string fromCli = dir.filePath(QStringLiteral("cli_cmp.tif")).toStdString();
      EXPECT_TRUE(sameRaster(fromCli, out.toStdString()));
      EXPECT_TRUE(sameRaster(fromCli, dir.filePath(QStringLiteral("layer_cmp.tif")).toStdString()));
      continue;
    }
    const Table fromCli = readTable(cli.toStdString(), "cmp" + t.suffix);
    EXPECT_TRUE(sameTable(fromCli, readTable(out.toStdString(), "out_" + t.processing)));
    EXPECT_TRUE(sameTable(fromCli, readTable(viaLayer.toStdString(), "cmp" + t.suffix)));
  }
  // One history whichever host ran it: the same registration as the CLI's.
  auto cliStore = Store::open(cli.toStdString(), false);
  auto layerStore = Store::open(viaLayer.toStdString(), false);
  for (const ResultInfo& r : listResults(*cliStore)) {
    // A raster is registered by its file name, <store stem>_<output>.tif.
    const std::string expected =
        r.layer.rfind("cli_", 0) == 0 ? "layer_" + r.layer.substr(4) : r.layer;
    bool found = false;
    for (const ResultInfo& s : listResults(*layerStore)) {
      if (s.layer != expected) continue;
      found = true;
      EXPECT_EQ(s.metadata.algorithm, r.metadata.algorithm);
      EXPECT_EQ(s.metadata.parametersJson, r.metadata.parametersJson);
      EXPECT_EQ(s.metadata.inputLayer, r.metadata.inputLayer);
      EXPECT_EQ(s.metadata.inputRows, r.metadata.inputRows);
      EXPECT_EQ(s.metadata.seed, r.metadata.seed);
    }
    EXPECT_TRUE(found) << r.layer;
  }
}

INSTANTIATE_TEST_SUITE_P(EveryAnalysis, CliVersusProcessing,
                         ::testing::Range(std::size_t{0}, cases().size()),
                         [](const ::testing::TestParamInfo<std::size_t>& param) {
                           return cases().at(param.param).id;
                         });

}  // namespace
