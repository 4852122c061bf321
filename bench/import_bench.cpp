// import_bench: a signals CSV in Veldwacht's own format, or (--bag) BAG light verblijfsobjecten
// (synthetic, fixed seed) imported into a new store by layers::importFiles, next to ogr2ogr
// converting the same file to a GeoPackage. Each side runs in its own child process; wall time,
// CPU time and the child's peak RSS (wait4 rusage) are printed with the ratios and the load
// average. With --bag also a register update (--update) of a newer version of the same file
// (1 % of the rows changed, 0.5 % removed, 0.5 % added) over the imported store. Issue 13
// (docs/benchmarks.md, import).
//
//   import_bench [--bag] [--sizes 100000,1000000] [--dir DIR] [--keep] [--no-ogr] [--no-update]
//   import_bench --import-only CSV STORE   (one import in this process, for a profiler)
//   import_bench --update-only CSV STORE   (one register update in this process, for a profiler)
//   import_bench --write-signals N CSV     (only write N signals spread over the Netherlands,
//                                           2021-2024, a fifth in hotspots; postgis_scale.py)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "layers/importers/importer.h"
#include "layers/store/store.h"

namespace fs = std::filesystem;
using namespace veldwacht::layers;

namespace {

struct Measured {
  double seconds = 0;
  double cpuSeconds = 0;  ///< user + system of the child (fairer than wall time on a busy machine)
  double peakMiB = 0;
  int status = -1;
};

/// Runs `body` in a child process; its wall time and peak RSS.
template <class Body>
Measured inChild(Body body) {
  std::fflush(nullptr);  // else the child repeats what the parent has buffered
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 1;
    try {
      rc = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child failed: %s\n", e.what());
    }
    std::fflush(nullptr);
    _exit(rc);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  Measured m;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.peakMiB = double(ru.ru_maxrss) / 1024.0;
  m.cpuSeconds = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 1e-6 * double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
  m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return m;
}

/// Where and when generated signals lie. The default is this benchmark's own file (one
/// 40 x 30 km area in the north, 2024); national() is the whole of the Netherlands over four
/// years with a fifth of the rows in hotspots (bench/postgis_scale.py, issue 14).
struct SignalSpread {
  double minX = 230000, maxX = 270000, minY = 580000, maxY = 610000;
  int firstYear = 2024, years = 1;
  int hotspots = 0;  ///< every 5th row lies near one of them (normal, sigma 150 m); 0 = none
  static SignalSpread national() { return {13000, 278000, 306000, 619000, 2021, 4, 2000}; }
};

void writeSignals(const std::string& path, long n, const SignalSpread& spread = {}) {
  static const char* kCat[] = {"HENNEP", "DRUGSLAB", "DRUGSAFVAL", "VERHUUR", "ACTIVITEIT"};
  static const char* kBron[] = {"burger", "boer", "politie", "boa", "mma"};
  std::mt19937_64 rng(20261205);
  std::uniform_real_distribution<double> ux(spread.minX, spread.maxX), uy(spread.minY, spread.maxY);
  // The hotspots draw from their own generator, so the default file stays what it was.
  std::mt19937_64 hotRng(20261206);
  std::vector<std::pair<double, double>> hot;
  for (int h = 0; h < spread.hotspots; ++h) hot.emplace_back(ux(hotRng), uy(hotRng));
  std::normal_distribution<double> near(0.0, 150.0);
  auto clamp = [](double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; };
  std::ofstream out(path);
  out << "signaal_id;categorie;brontype;waargenomen_van;status;x;y;omschrijving\n";
  char buf[256];
  for (long i = 0; i < n; ++i) {
    const int day = 1 + int(i % 28), month = 1 + int((i / 28) % 12);
    const int year = spread.firstYear + int((i / 336) % spread.years);
    double x = ux(rng), y = uy(rng);
    if (!hot.empty() && i % 5 == 0) {
      const auto& [hx, hy] = hot[std::size_t(hotRng() % hot.size())];
      x = clamp(hx + near(hotRng), spread.minX, spread.maxX);
      y = clamp(hy + near(hotRng), spread.minY, spread.maxY);
    }
    std::snprintf(
        buf, sizeof buf, "SIG-%08ld;%s;%s;%02d-%02d-%d %02d:%02d;nieuw;%.2f;%.2f;rij %ld\n", i,
        kCat[i % 5], kBron[(i / 5) % 5], day, month, year, int(i % 24), int(i % 60), x, y, i);
    out << buf;
  }
}

/// BAG light verblijfsobjecten (the `verblijfsobject` layer's field names; RD x/y instead of the
/// GeoPackage point) for `n` addresses, ~110 bytes a row. `version` 2 is the newer register:
/// rows i % 100 == 7 changed (oppervlakte, status), i % 200 == 3 removed, and n / 200 new ones.
void writeBag(const std::string& path, long n, int version) {
  static const char* kDoel[] = {"woonfunctie",
                                "woonfunctie",
                                "woonfunctie",
                                "winkelfunctie",
                                "industriefunctie",
                                "kantoorfunctie",
                                "overige gebruiksfunctie"};
  static const char* kStraat[] = {"Dorpsstraat", "Kerkweg", "Molenlaan", "Hoofdweg", "Stationsweg"};
  std::mt19937_64 rng(20261205);
  std::uniform_real_distribution<double> ux(13000, 278000), uy(306000, 619000);
  std::ofstream out(path);
  out << "identificatie;pand_identificatie;huisnummer;huisletter;postcode;openbare_ruimte_naam;"
         "woonplaats_naam;gebruiksdoel;oppervlakte;status;x;y\n";
  char buf[320];
  auto row = [&](long i, bool changed) {
    const double x = ux(rng), y = uy(rng);
    std::snprintf(
        buf, sizeof buf, "%016ld;%016ld;%ld;%s;%04ld%c%c;%s;Plaats %ld;%s;%ld;%s;%.3f;%.3f\n",
        1900010000000000L + i, 1900100000000000L + i / 3, 1 + i % 250, i % 11 == 0 ? "A" : "",
        1000 + (i / 40) % 9000, char('A' + i % 26), char('A' + (i / 26) % 26), kStraat[i % 5],
        i / 5000, kDoel[i % 7], 20 + i % 400 + (changed ? 1 : 0),
        changed ? "Verblijfsobject buiten gebruik" : "Verblijfsobject in gebruik", x, y);
    out << buf;
  };
  for (long i = 0; i < n; ++i) {
    const bool removed = version == 2 && i % 200 == 3;
    const bool changed = version == 2 && i % 100 == 7;
    if (removed) {
      (void)ux(rng), (void)uy(rng);  // keep the other rows' coordinates
      continue;
    }
    row(i, changed);
  }
  if (version == 2)
    for (long i = n; i < n + n / 200; ++i) row(i, false);
}

std::vector<long> parseSizes(const std::string& s) {
  std::vector<long> out;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(std::stol(s.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> sizes = {100000, 1000000};
  std::string dir = (fs::temp_directory_path() / "veldwacht-import-bench").string();
  bool keep = false;
  bool bag = false;
  bool withOgr = true, withUpdate = true;  // --no-ogr, --no-update: only our import (10M rows)
  if (argc == 4 && std::string(argv[1]) == "--import-only") {
    // For profiling: one import of an existing CSV into a new store, in this process.
    auto s = Store::create(argv[3]);
    const std::vector<std::string> files = {argv[2]};
    const auto start = std::chrono::steady_clock::now();
    const ImportReport r = importFiles(*s, files, {});
    std::printf("%s%.2f s\n", r.str().c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return 0;
  }
  if (argc == 4 && std::string(argv[1]) == "--update-only") {
    // For profiling: one register update of an existing store by a CSV, in this process.
    auto s = Store::open(argv[3], true);
    const std::vector<std::string> files = {argv[2]};
    ImportOptions o;
    o.update = true;
    const auto start = std::chrono::steady_clock::now();
    const ImportReport r = importFiles(*s, files, o);
    std::printf("%s%.2f s\n", r.str().c_str(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return 0;
  }
  if (argc == 4 && std::string(argv[1]) == "--write-signals") {
    writeSignals(argv[3], std::stol(argv[2]), SignalSpread::national());
    return 0;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sizes" && i + 1 < argc)
      sizes = parseSizes(argv[++i]);
    else if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--keep")
      keep = true;
    else if (a == "--bag")
      bag = true;
    else if (a == "--no-ogr")
      withOgr = false;
    else if (a == "--no-update")
      withUpdate = false;
    else {
      std::fprintf(stderr,
                   "usage: import_bench [--bag] [--sizes 100000,1000000] [--dir DIR] [--keep]\n");
      return 2;
    }
  }
  fs::create_directories(dir);
  std::printf("load average before: %s\n", loadAverage().c_str());
  std::printf("%10s  %-22s %10s %10s %12s\n", "rows", "tool", "wall s", "cpu s", "peak MiB");
  for (long n : sizes) {
    const std::string csv =
        dir + (bag ? "/verblijfsobjecten_" : "/signalen_") + std::to_string(n) + ".csv";
    if (bag)
      writeBag(csv, n, 1);
    else
      writeSignals(csv, n);
    const std::string ogrOut = dir + "/ogr_" + std::to_string(n) + ".gpkg";
    const std::string store = dir + "/store_" + std::to_string(n) + ".gpkg";
    fs::remove(ogrOut);
    fs::remove(store);
    const Measured ogr = !withOgr ? Measured{} : inChild([&] {
      execlp("ogr2ogr", "ogr2ogr", "-f", "GPKG", ogrOut.c_str(), csv.c_str(), "-oo",
             "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", "-oo", "AUTODETECT_TYPE=YES",
             "-a_srs", "EPSG:28992", "-nln", bag ? "verblijfsobjecten" : "signalen", nullptr);
      return 127;
    });
    const Measured own = inChild([&] {
      auto s = Store::create(store);
      const std::vector<std::string> files = {csv};
      const ImportReport r = importFiles(*s, files, {});
      return r.rowsPerLayer.empty() || r.rowsPerLayer[0].second != n ? 3 : 0;
    });
    if (withOgr)
      std::printf("%10ld  %-22s %10.2f %10.2f %12.1f%s\n", n, "ogr2ogr", ogr.seconds,
                  ogr.cpuSeconds, ogr.peakMiB, ogr.status ? "  (FAILED)" : "");
    std::printf("%10ld  %-22s %10.2f %10.2f %12.1f%s\n", n, "veldwacht importFiles", own.seconds,
                own.cpuSeconds, own.peakMiB, own.status ? "  (FAILED)" : "");
    if (withOgr)
      std::printf("%10ld  ratio veldwacht/ogr2ogr: wall %.2fx, cpu %.2fx, peak memory %.2fx\n", n,
                  own.seconds / ogr.seconds, own.cpuSeconds / ogr.cpuSeconds,
                  own.peakMiB / ogr.peakMiB);
    std::fflush(stdout);
    if (bag && withUpdate && own.status == 0) {
      // The newer register over the imported store: one transaction, bounded memory.
      const std::string csv2 = dir + "/verblijfsobjecten_" + std::to_string(n) + "_v2.csv";
      writeBag(csv2, n, 2);
      RegisterUpdateSummary summary;
      const Measured upd = inChild([&] {
        auto s = Store::open(store, true);
        const std::vector<std::string> files = {csv2};
        ImportOptions o;
        o.update = true;
        const ImportReport r = importFiles(*s, files, o);
        std::printf("%10ld  %s\n", n, r.updates.at(0).str().c_str());
        const auto& u = r.updates[0];
        return u.changed == n / 100 && u.added == n / 200 && u.removed == (n + 196) / 200 ? 0 : 4;
      });
      std::printf("%10ld  %-22s %10.2f %10.2f %12.1f%s\n", n, "veldwacht --update", upd.seconds,
                  upd.cpuSeconds, upd.peakMiB, upd.status ? "  (FAILED)" : "");
      std::fflush(stdout);
      if (!keep) fs::remove(csv2);
    }
    if (!keep) {
      fs::remove(csv);
      fs::remove(ogrOut);
      fs::remove(store);
    }
  }
  std::printf("load average after: %s\n", loadAverage().c_str());
  return 0;
}
