// GDAL alone (no Veldwacht code): does closing a GeoPackage survive SQLite running out of memory
// for good? Every SQLite allocation from the n-th on fails (SQLITE_CONFIG_MALLOC shim, as
// tests/layers/store/fault_malloc.cpp); the program writes a new layer in a transaction, rolls
// back when a write fails (as the store does) and closes the dataset. Each n runs in a child
// process; the parent prints how each ended (ok / failed cleanly / signal).
//
//   g++ -std=c++20 -O1 -g bench/reliability/gdal_oom_close.cpp -o /tmp/gdal_oom_close \
//       $(pkg-config --cflags --libs gdal sqlite3)
//   /tmp/gdal_oom_close [first-n] [last-n] [step] [fork|--no-fork] [deferred|create-now]
//   gdb -batch -ex run -ex bt --args /tmp/gdal_oom_close N N 1 --no-fork
// "create-now" syncs the new layer right after its fields are defined, so that GDAL creates the
// table then and not at the first feature, at the rollback's sync or at the close.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

sqlite3_mem_methods gDefault{};
std::atomic<long> gCount{0};
std::atomic<long> gFailAt{0};
bool gCreateNow = false;

bool shouldFail() {
  const long n = ++gCount;
  const long at = gFailAt.load();
  return at > 0 && n >= at;  // persistent: every allocation from the n-th on
}
void* faultMalloc(int bytes) { return shouldFail() ? nullptr : gDefault.xMalloc(bytes); }
void* faultRealloc(void* p, int bytes) {
  if ((p == nullptr || bytes > gDefault.xSize(p)) && shouldFail()) return nullptr;
  return gDefault.xRealloc(p, bytes);
}

void installShim() {
  sqlite3_config(SQLITE_CONFIG_GETMALLOC, &gDefault);
  sqlite3_mem_methods wrapped = gDefault;
  wrapped.xMalloc = faultMalloc;
  wrapped.xRealloc = faultRealloc;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) != SQLITE_OK) std::abort();
  sqlite3_initialize();
}

const char* kPath = "/tmp/gdal_oom_close.gpkg";

void makeBase() {
  unlink(kPath);
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  GDALDataset* ds = drv->Create(kPath, 0, 0, 0, GDT_Unknown, nullptr);
  OGRSpatialReference srs;
  srs.importFromEPSG(28992);
  OGRLayer* l = ds->CreateLayer("t", &srs, wkbPoint, nullptr);
  OGRFieldDefn f("naam", OFTString);
  l->CreateField(&f);
  for (int i = 0; i < 200; ++i) {
    OGRFeature* feat = OGRFeature::CreateFeature(l->GetLayerDefn());
    feat->SetField("naam", ("p" + std::to_string(i)).c_str());
    OGRPoint p(1000.0 + i, 2000.0 + i);
    feat->SetGeometry(&p);
    if (l->CreateFeature(feat) != OGRERR_NONE) std::abort();
    OGRFeature::DestroyFeature(feat);
  }
  GDALClose(ds);
}

/// One trial: 0 = wrote and committed, 1 = a write failed and was rolled back, then closed.
int trial(long n) {
  GDALDataset* ds = static_cast<GDALDataset*>(
      GDALOpenEx(kPath, GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
  if (!ds) return 2;
  gCount = 0;
  gFailAt = n;
  bool failed = ds->StartTransaction(FALSE) != OGRERR_NONE;
  OGRSpatialReference srs;
  srs.importFromEPSG(28992);
  OGRLayer* l = failed ? nullptr : ds->CreateLayer("r", &srs, wkbPoint, nullptr);
  failed = failed || l == nullptr;
  if (!failed) {
    OGRFieldDefn f("waarde", OFTReal);
    failed = l->CreateField(&f) != OGRERR_NONE;
  }
  if (!failed && gCreateNow) failed = l->SyncToDisk() != OGRERR_NONE;
  for (int i = 0; i < 500 && !failed; ++i) {
    OGRFeature* feat = OGRFeature::CreateFeature(l->GetLayerDefn());
    feat->SetField("waarde", i * 0.5);
    OGRPoint p(1000.0 + i, 3000.0 + i);
    feat->SetGeometry(&p);
    failed = l->CreateFeature(feat) != OGRERR_NONE;
    OGRFeature::DestroyFeature(feat);
  }
  if (!failed) failed = l->SyncToDisk() != OGRERR_NONE;
  if (failed)
    ds->RollbackTransaction();
  else
    failed = ds->CommitTransaction() != OGRERR_NONE;
  GDALClose(ds);  // the close: under exhausted memory GDAL 3.6 crashes here
  gFailAt = 0;
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  installShim();
  GDALAllRegister();
  CPLSetErrorHandler(CPLQuietErrorHandler);
  const long first = argc > 1 ? std::atol(argv[1]) : 1;
  const long last = argc > 2 ? std::atol(argv[2]) : 4000;
  const long step = argc > 3 ? std::atol(argv[3]) : 37;
  const bool noFork = argc > 4 && std::strcmp(argv[4], "--no-fork") == 0;
  gCreateNow = argc > 5 && std::strcmp(argv[5], "create-now") == 0;
  long ok = 0, clean = 0, crashed = 0;
  for (long n = first; n <= last; n += step) {
    makeBase();
    if (noFork) {
      std::printf("n %ld: %d\n", n, trial(n));
      continue;
    }
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) _exit(trial(n));
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) {
      ++crashed;
      std::printf("n %ld: signal %d (%s)\n", n, WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) == 0) {
      ++ok;
    } else {
      ++clean;
    }
  }
  std::printf("gdal-oom-close trials %ld committed %ld failed-cleanly %ld crashed %ld\n",
              ok + clean + crashed, ok, clean, crashed);
  return crashed ? 1 : 0;
}
