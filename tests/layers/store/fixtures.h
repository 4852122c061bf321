// Test data built in code for the store, migration and result tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "layers/schema/schema.h"
#include "layers/store/store.h"

namespace veldwacht::layers::testing {

/// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("veldwacht-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  const std::filesystem::path& path() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

inline geo::GeometryPtr wkt(const std::string& text) {
  OGRGeometry* g = nullptr;
  OGRGeometryFactory::createFromWkt(text.c_str(), nullptr, &g);
  return geo::GeometryPtr(g);
}

/// A geometry of the layer's kind near Delfzijl (EPSG:28992), shifted by (i mod 1000) * (100 m, 50
/// m).
inline geo::GeometryPtr geometryFor(GeometryKind kind, int i) {
  const double x = 256984 + 100.0 * (i % 1000), y = 594814 + 50.0 * (i % 1000);
  auto p = [](double a, double b) { return std::to_string(a) + " " + std::to_string(b); };
  switch (kind) {
    case GeometryKind::None:
      return nullptr;
    case GeometryKind::Point:
      return wkt("POINT (" + p(x, y) + ")");
    case GeometryKind::LineString:
      return wkt("LINESTRING (" + p(x, y) + ", " + p(x + 30, y + 40) + ", " + p(x + 80, y) + ")");
    case GeometryKind::MultiPolygon:
      return wkt("MULTIPOLYGON (((" + p(x, y) + ", " + p(x + 40, y) + ", " + p(x + 40, y + 30) +
                 ", " + p(x, y) + ")))");
  }
  return nullptr;
}

/// A value for every field: allowed values where the list is closed, keys unique per `i`,
/// references to the keys that `parentRecord` produces for the referenced layer.
inline Value valueFor(const LayerDef& layer, const FieldDef& f, std::size_t fieldIndex, int i) {
  if (f.name == "import_id") return {};  // set by the store
  // Optional, and most tests append signals without partners (schouw tests fill it).
  if (f.name == "bron_partner_id") return {};
  if (!f.reference.empty()) {
    const std::string parent = f.reference.substr(0, f.reference.find('.'));
    if (parent == "signaal_categorieen") return std::string("HENNEP");
    return std::string(parent.substr(0, 3) + "-" + std::to_string(i));
  }
  if (f.unique && f.type == FieldType::Text)
    return layer.name.substr(0, 3) + "-" + std::to_string(i);
  switch (f.type) {
    case FieldType::Text:
      if (!f.allowed.empty()) {
        if (f.commaList && f.allowed.size() > 1) return f.allowed[0] + "," + f.allowed[1];
        return f.allowed[static_cast<std::size_t>(i) % f.allowed.size()];
      }
      if (f.width > 0) return std::string(static_cast<std::size_t>(f.width), char('0' + i % 10));
      return f.name + " é " + std::to_string(i);  // non-ASCII on purpose
    case FieldType::Integer:
      return std::int64_t{1000 * i + static_cast<int>(fieldIndex)};
    case FieldType::Real:
      return 12.25 + i + 0.5 * static_cast<double>(fieldIndex);
    case FieldType::Boolean:
      return std::int64_t{i % 2};
    case FieldType::Date:
      return "2024-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(fieldIndex % 10);
    case FieldType::DateTime:
      return "2024-03-0" + std::to_string(1 + i % 9) + "T22:" + std::to_string(10 + fieldIndex) +
             ":05";
  }
  return {};
}

/// Record `i` of `layer` with every field filled.
inline Record fullRecord(const LayerDef& layer, int i) {
  Record r;
  for (std::size_t fi = 0; fi < layer.fields.size(); ++fi)
    r.values.push_back(valueFor(layer, layer.fields[fi], fi, i));
  r.geometry = geometryFor(layer.geometry, i);
  r.sourceRow = i + 1;
  return r;
}

inline ImportBatch batchOf(const LayerDef& layer, int from, int count) {
  ImportBatch b;
  b.layer = layer.name;
  b.sourceFile = layer.name + ".csv";
  b.sourceSha256 = std::string(64, 'a');
  b.sourceCrs = "EPSG:28992";
  b.transformation = "none";
  for (int i = from; i < from + count; ++i) b.records.push_back(fullRecord(layer, i));
  return b;
}

/// A Progress that reports cancel once the reported fraction passes `threshold` (e.g. once the
/// writing phase of an append has begun).
class CancelAfter : public geo::Progress {
 public:
  explicit CancelAfter(double threshold) : threshold_(threshold) {}
  void setFraction(double f) override { fraction_ = f; }
  bool isCancelled() const override { return fraction_ > threshold_; }
  double fraction() const { return fraction_; }

 private:
  double threshold_;
  double fraction_ = 0;
};

/// Batches are move-only (records own geometries): build a vector from temporaries.
template <class... B>
std::vector<ImportBatch> batchList(B&&... b) {
  std::vector<ImportBatch> v;
  (v.push_back(std::forward<B>(b)), ...);
  return v;
}

inline Value& field(Record& r, const LayerDef& layer, const std::string& name) {
  return r.values.at(static_cast<std::size_t>(layer.fieldIndex(name)));
}

}  // namespace veldwacht::layers::testing
