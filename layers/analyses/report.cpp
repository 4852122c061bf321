#include "layers/analyses/report.h"

#include "geo/core/error.h"

namespace veldwacht::layers {

void RunReport::append(RunReport&& o) {
  layers.insert(layers.end(), o.layers.begin(), o.layers.end());
  files.insert(files.end(), o.files.begin(), o.files.end());
  lines.insert(lines.end(), o.lines.begin(), o.lines.end());
  warnings.insert(warnings.end(), o.warnings.begin(), o.warnings.end());
}

RunClock::RunClock() : t0_(std::chrono::steady_clock::now()) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &local);
  startedAt_ = buf;
}

double RunClock::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
}

ResultMetadata RunClock::metadata(const std::string& algorithm, const nlohmann::json& parameters,
                                  const std::string& inputLayer, std::int64_t inputRows,
                                  std::optional<std::int64_t> seed) const {
  ResultMetadata m;
  m.algorithm = algorithm;
  m.parametersJson = parameters.dump();
  m.inputLayer = inputLayer;
  m.inputRows = inputRows;
  m.seed = seed;
  m.startedAt = startedAt_;
  m.durationSeconds = seconds();
  return m;
}

FieldDef resultField(const std::string& name, FieldType type, const std::string& help) {
  FieldDef f;
  f.name = name;
  f.type = type;
  f.help = help;
  return f;
}

std::string inputDescription(const PointInput& in) {
  PointSelection s{in.layer, in.where, ""};
  s.bbox = in.bbox;
  return s.describe();
}

geo::GeometryPtr geometryFromWkb(const std::vector<std::uint8_t>& wkb) {
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size(), wkbVariantIso) !=
          OGRERR_NONE ||
      !g)
    throw geo::LibraryError("cannot read a result geometry (WKB)");
  return geo::GeometryPtr(g);
}

geo::GeometryPtr polygonFromRing(const std::vector<geo::Point>& ring) {
  auto* r = new OGRLinearRing();
  for (const auto& p : ring) r->addPoint(p.x, p.y);
  r->closeRings();
  auto* poly = new OGRPolygon();
  poly->addRingDirectly(r);
  return geo::GeometryPtr(poly);
}

geo::GeometryPtr pointGeometry(const geo::Point& p) {
  return geo::GeometryPtr(new OGRPoint(p.x, p.y));
}

void writeResultLayers(Store& store, std::vector<ResultLayer>&& layers, geo::Progress& progress) {
  writeResultSet(store, std::move(layers), progress);
}

void checkOutputName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 50 && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw geo::OptionError("output", "'" + name +
                                         "': use lower-case letters, digits and _ (at most 50, "
                                         "starting with a letter)");
}

}  // namespace veldwacht::layers
