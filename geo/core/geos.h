// GEOS through its re-entrant C API: one context per thread, geometries owned by a move-only
// handle that remembers its context (cf. DuckDB spatial's GEOS wrapper, QGIS qgsgeos.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <geos_c.h>

namespace veldwacht::geo {

/// Owns a GEOSContextHandle_t; errors and notices are kept for the next check.
class GeosContext {
 public:
  GeosContext();
  ~GeosContext();
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;

  GEOSContextHandle_t handle() const noexcept { return handle_; }
  /// The message of the last GEOS error raised in this context (empty if none).
  const std::string& lastError() const noexcept { return lastError_; }
  void clearError() noexcept { lastError_.clear(); }

  /// The calling thread's context, created on first use.
  static GeosContext& forThisThread();

 private:
  static void errorHandler(const char* message, void* userdata);
  GEOSContextHandle_t handle_;
  std::string lastError_;
};

/// A GEOSGeometry with the context that must destroy it.
class GeosGeometry {
 public:
  GeosGeometry() = default;
  GeosGeometry(GEOSContextHandle_t ctx, GEOSGeometry* g) noexcept : ctx_(ctx), geom_(g) {}
  ~GeosGeometry() { reset(); }
  GeosGeometry(GeosGeometry&& o) noexcept : ctx_(o.ctx_), geom_(o.geom_) { o.geom_ = nullptr; }
  GeosGeometry& operator=(GeosGeometry&& o) noexcept {
    if (this != &o) {
      reset();
      ctx_ = o.ctx_;
      geom_ = o.geom_;
      o.geom_ = nullptr;
    }
    return *this;
  }
  GeosGeometry(const GeosGeometry&) = delete;
  GeosGeometry& operator=(const GeosGeometry&) = delete;

  GEOSGeometry* get() const noexcept { return geom_; }
  /// Gives up ownership (e.g. to hand it to a GEOS collection constructor).
  GEOSGeometry* release() noexcept {
    GEOSGeometry* g = geom_;
    geom_ = nullptr;
    return g;
  }
  explicit operator bool() const noexcept { return geom_ != nullptr; }
  void reset() noexcept {
    if (geom_) GEOSGeom_destroy_r(ctx_, geom_);
    geom_ = nullptr;
  }

 private:
  GEOSContextHandle_t ctx_ = nullptr;
  GEOSGeometry* geom_ = nullptr;
};

/// Wraps a GEOS result: throws LibraryError with the context's message when it is null.
GeosGeometry checkedGeos(GeosContext& ctx, GEOSGeometry* g, const char* operation);

/// A collection (GEOS_MULTIPOINT, GEOS_GEOMETRYCOLLECTION …) of `parts`. The parts stay owned by
/// `parts` until GEOS has taken them, so nothing leaks and nothing is freed twice when GEOS
/// fails (GEOS does not take ownership then). Throws LibraryError.
GeosGeometry collectionOf(GeosContext& ctx, int type, std::vector<GeosGeometry>&& parts,
                          const char* operation);

/// Owns a GEOS WKB reader/writer.
struct GeosWkbReaderDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSWKBReader* r) const noexcept { GEOSWKBReader_destroy_r(ctx, r); }
};
struct GeosWkbWriterDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSWKBWriter* w) const noexcept { GEOSWKBWriter_destroy_r(ctx, w); }
};
struct GeosBufferDeleter {
  GEOSContextHandle_t ctx;
  void operator()(unsigned char* p) const noexcept { GEOSFree_r(ctx, p); }
};
struct GeosCoordSeqDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSCoordSequence* s) const noexcept { GEOSCoordSeq_destroy_r(ctx, s); }
};

}  // namespace veldwacht::geo
