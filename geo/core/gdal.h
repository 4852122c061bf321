// RAII ownership of GDAL/OGR objects: unique_ptr aliases with one overloaded deleter
// (cf. QGIS qgsogrutils.h). Nothing else in Veldwacht calls a GDAL destroy function.
#pragma once

#include <memory>
#include <string>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace veldwacht::geo {

struct GdalDeleter {
  void operator()(GDALDataset* ds) const noexcept { GDALClose(GDALDataset::ToHandle(ds)); }
  void operator()(OGRFeature* f) const noexcept { OGRFeature::DestroyFeature(f); }
  void operator()(OGRGeometry* g) const noexcept { OGRGeometryFactory::destroyGeometry(g); }
  void operator()(OGRSpatialReference* s) const noexcept { s->Release(); }
  void operator()(OGRCoordinateTransformation* t) const noexcept {
    OGRCoordinateTransformation::DestroyCT(t);
  }
  void operator()(char* s) const noexcept { CPLFree(s); }
  void operator()(char** list) const noexcept { CSLDestroy(list); }
};

using DatasetPtr = std::unique_ptr<GDALDataset, GdalDeleter>;
using FeaturePtr = std::unique_ptr<OGRFeature, GdalDeleter>;
using GeometryPtr = std::unique_ptr<OGRGeometry, GdalDeleter>;
using SpatialRefPtr = std::unique_ptr<OGRSpatialReference, GdalDeleter>;
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, GdalDeleter>;
using CplStringPtr = std::unique_ptr<char, GdalDeleter>;
using CslPtr = std::unique_ptr<char*, GdalDeleter>;

/// Registers GDAL/OGR drivers once per process (thread-safe); call before any GDAL use.
void ensureGdalRegistered();

/// Opens a dataset (vector unless flags say otherwise); throws LibraryError with GDAL's message.
DatasetPtr openDataset(const std::string& path, unsigned flags = GDAL_OF_VECTOR | GDAL_OF_READONLY,
                       const char* const* openOptions = nullptr,
                       const char* const* allowedDrivers = nullptr);

/// The last CPL error message, or `fallback` when GDAL recorded none.
std::string lastGdalError(const std::string& fallback = "unknown GDAL error");

/// Collects GDAL warnings/errors raised while in scope instead of printing them to stderr.
class GdalErrorCapture {
 public:
  GdalErrorCapture();
  ~GdalErrorCapture();
  GdalErrorCapture(const GdalErrorCapture&) = delete;
  GdalErrorCapture& operator=(const GdalErrorCapture&) = delete;
  const std::string& messages() const { return messages_; }

 private:
  static void CPL_STDCALL handler(CPLErr, CPLErrorNum, const char*);
  std::string messages_;
};

}  // namespace veldwacht::geo
