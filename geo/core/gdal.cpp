#include "geo/core/gdal.h"

#include <mutex>

#include <cpl_error.h>

#include "geo/core/error.h"

namespace veldwacht::geo {

void ensureGdalRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string lastGdalError(const std::string& fallback) {
  const char* msg = CPLGetLastErrorMsg();
  return (msg && *msg) ? std::string(msg) : fallback;
}

DatasetPtr openDataset(const std::string& path, unsigned flags, const char* const* openOptions,
                       const char* const* allowedDrivers) {
  ensureGdalRegistered();
  CPLErrorReset();
  DatasetPtr ds(GDALDataset::Open(path.c_str(), flags, allowedDrivers, openOptions, nullptr));
  if (!ds)
    throw LibraryError("cannot open '" + path + "': " + lastGdalError("not a readable dataset"));
  return ds;
}

GdalErrorCapture::GdalErrorCapture() { CPLPushErrorHandlerEx(&GdalErrorCapture::handler, this); }

GdalErrorCapture::~GdalErrorCapture() { CPLPopErrorHandler(); }

void CPL_STDCALL GdalErrorCapture::handler(CPLErr cls, CPLErrorNum, const char* msg) {
  auto* self = static_cast<GdalErrorCapture*>(CPLGetErrorHandlerUserData());
  if (!self || cls == CE_Debug || !msg) return;
  if (!self->messages_.empty()) self->messages_ += "\n";
  self->messages_ += msg;
}

}  // namespace veldwacht::geo
