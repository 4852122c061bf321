// End-to-end KDE for bench/anchors/kde_qgis.sh: reads the points of a GeoPackage layer with
// GDAL, runs the quartic KDE with QGIS's grid and pixel placement, writes a GeoTIFF, and prints
// the wall time of each phase.
//   density_kde_gpkg IN.gpkg OUT.tif RADIUS PIXEL_SIZE [KERNEL 0-4] [THREADS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench/kde_qgis_profile.h"
#include "geo/core/gdal.h"
#include "geo/density/geotiff.h"
#include "geo/density/kde.h"

using namespace veldwacht;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s IN.gpkg OUT.tif RADIUS PIXEL_SIZE [KERNEL] [THREADS]\n",
                 argv[0]);
    return 2;
  }
  try {
    const auto t0 = Clock::now();
    geo::DatasetPtr ds = geo::openDataset(argv[1]);
    OGRLayer* layer = ds->GetLayer(0);
    std::vector<geo::Point> pts;
    pts.reserve(static_cast<std::size_t>(std::max<GIntBig>(0, layer->GetFeatureCount())));
    layer->ResetReading();
    for (geo::FeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
      if (const OGRGeometry* g = f->GetGeometryRef();
          g && wkbFlatten(g->getGeometryType()) == wkbPoint) {
        const auto* p = g->toPoint();
        pts.push_back({p->getX(), p->getY()});
      }
    }
    const auto t1 = Clock::now();
    geo::KdeOptions o = bench::qgisProfileKde(argv[3], argv[4], argc > 5 ? argv[5] : nullptr);
    o.threads = argc > 6 ? std::atoi(argv[6]) : 0;
    const geo::KdeResult r = geo::kernelDensity(pts, {}, o);
    const auto t2 = Clock::now();
    geo::writeGeoTiff(argv[2], r.raster);
    const auto t3 = Clock::now();
    auto s = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    std::printf("points %zu pixels %zu read %.3f s kde %.3f s write %.3f s total %.3f s\n",
                pts.size(), r.raster.values.size(), s(t0, t1), s(t1, t2), s(t2, t3), s(t0, t3));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
