// The plugin's streamed KDE without QGIS (plugin/processing/described.cpp runStreamed): the
// points of a GeoPackage table read through SQLite into a PointSpill, the streamed KDE band by
// band (QGIS placement, raw quartic by default) into a GeoTIFF written band by band, with the
// plugin's writer options. Prints the CPU time of each phase (the least of REPEATS runs), so that
// the KDE's net work can be measured without QGIS's start-up, and that of the in-memory
// one-thread KDE of the same points (the splat alone).
//   density_kde_streamed IN.gpkg TABLE OUT.tif RADIUS PIXEL_SIZE [KERNEL 0-4] [BAND_ROWS] [REPEATS]
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/kde_qgis_profile.h"
#include "geo/core/gpkg_writer.h"
#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"
#include "geo/density/kde.h"

using namespace veldwacht;

namespace {

double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

class SpillRows final : public geo::GpkgRowSink {
 public:
  explicit SpillRows(geo::PointSpill& spill) : spill_(spill) {}
  bool row(std::span<const geo::GpkgCell>) override { return true; }
  bool takesPoints() const override { return true; }
  void point(std::int64_t, const geo::Point& p) override { spill_.add(p); }

 private:
  geo::PointSpill& spill_;
};

class TiffRows final : public geo::RasterRowSink {
 public:
  explicit TiffRows(geo::GeoTiffRowWriter& w) : w_(w) {}
  void begin(const geo::Raster& header) override { w_.begin(header); }
  void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) override {
    const double t = cpuSeconds();
    w_.rows(rowBegin, rowEnd, values);
    writing += cpuSeconds() - t;
  }
  double writing = 0;

 private:
  geo::GeoTiffRowWriter& w_;
};

struct Times {
  double read = 0, kde = 0, tiff = 0, inMemory = 0;
};

/// One run of the plugin's path; the KDE's phase without the GeoTIFF's share.
Times once(char** argv, const geo::KdeOptions& o, std::int32_t bandRows, std::size_t& points,
           geo::RasterGrid& grid) {
  Times t;
  const double t0 = cpuSeconds();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK)
    throw std::runtime_error(std::string("cannot open ") + argv[1]);
  sqlite3_exec(db, "PRAGMA cache_size = -256", nullptr, nullptr, nullptr);
  geo::PointSpill spill(false, "/tmp");
  geo::GpkgPointReadOptions ro;
  ro.table = argv[2];
  SpillRows sink(spill);
  geo::scanGpkgPoints(db, argv[1], ro, geo::nullProgress(), &sink);
  sqlite3_close(db);
  const double t1 = cpuSeconds();
  const geo::KdeLayout layout = geo::kdeLayoutForExtent(spill.extent(), o);
  geo::GeoTiffOptions to;
  to.output.overwrite = true;
  to.blockSize = 128;
  to.compressionThreads = 1;
  geo::OutputFile out(argv[3], to.output);
  geo::GeoTiffRowWriter writer(out, {}, to);
  TiffRows rows(writer);
  const geo::KdeResult r = geo::kernelDensityStreamed(spill, o, layout, rows, bandRows);
  const double t2 = cpuSeconds();
  writer.finish();
  out.commit();
  const double t3 = cpuSeconds();
  points = r.pointsUsed;
  grid = layout.grid;
  t.read = t1 - t0;
  t.kde = t2 - t1 - rows.writing;
  t.tiff = rows.writing + (t3 - t2);
  // The splat alone: the in-memory one-thread KDE of the same points.
  std::vector<geo::Point> all;
  spill.forEachChunk([&](std::span<const geo::Point> p, std::span<const double>) {
    all.insert(all.end(), p.begin(), p.end());
  });
  const double t4 = cpuSeconds();
  const geo::KdeResult m = geo::kernelDensityOnGrid(all, {}, o, layout);
  t.inMemory = cpuSeconds() - t4;
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr,
                 "usage: %s IN.gpkg TABLE OUT.tif RADIUS PIXEL_SIZE [KERNEL] [BAND_ROWS] "
                 "[REPEATS]\n",
                 argv[0]);
    return 2;
  }
  try {
    geo::KdeOptions o = bench::qgisProfileKde(argv[4], argv[5], argc > 6 ? argv[6] : nullptr);
    o.threads = 1;
    const std::int32_t bandRows = argc > 7 ? std::atoi(argv[7]) : 128;
    const int repeats = argc > 8 ? std::max(1, std::atoi(argv[8])) : 1;
    std::size_t points = 0;
    geo::RasterGrid grid;
    Times best{1e9, 1e9, 1e9, 1e9};
    for (int i = 0; i < repeats; ++i) {
      const Times t = once(argv, o, bandRows, points, grid);
      best = {std::min(best.read, t.read), std::min(best.kde, t.kde), std::min(best.tiff, t.tiff),
              std::min(best.inMemory, t.inMemory)};
    }
    std::printf(
        "points %zu pixels %dx%d, CPU s (least of %d): read %.3f, streamed KDE %.3f, GeoTIFF "
        "%.3f, together %.3f; in-memory one-thread KDE %.3f\n",
        points, grid.cols, grid.rows, repeats, best.read, best.kde, best.tiff,
        best.read + best.kde + best.tiff, best.inMemory);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
