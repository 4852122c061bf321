#include "geo/core/geos.h"

#include <cstdarg>

#include "geo/core/error.h"

namespace veldwacht::geo {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
  GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::errorHandler, this);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void GeosContext::errorHandler(const char* message, void* userdata) {
  // Called from inside GEOS: never throw here, only record.
  static_cast<GeosContext*>(userdata)->lastError_ = message ? message : "GEOS error";
}

GeosContext& GeosContext::forThisThread() {
  thread_local GeosContext ctx;
  return ctx;
}

GeosGeometry checkedGeos(GeosContext& ctx, GEOSGeometry* g, const char* operation) {
  if (!g) {
    std::string msg = ctx.lastError().empty() ? "failed" : ctx.lastError();
    ctx.clearError();
    throw LibraryError(std::string("GEOS ") + operation + ": " + msg);
  }
  return GeosGeometry(ctx.handle(), g);
}

GeosGeometry collectionOf(GeosContext& ctx, int type, std::vector<GeosGeometry>&& parts,
                          const char* operation) {
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (const auto& p : parts) raw.push_back(p.get());
  GeosGeometry coll = checkedGeos(ctx,
                                  GEOSGeom_createCollection_r(ctx.handle(), type, raw.data(),
                                                              static_cast<unsigned>(raw.size())),
                                  operation);
  for (auto& p : parts) p.release();  // now owned by the collection
  return coll;
}

}  // namespace veldwacht::geo
