#include "tests/layers/store/fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace veldwacht::layers::testing {

namespace {

struct State {
  sqlite3_vfs* real = nullptr;
  sqlite3_vfs vfs{};
  sqlite3_io_methods methods[4]{};  // one per iVersion of the real file (1..3)
  std::atomic<int> armedOp{-1};
  std::atomic<std::int64_t> target{0};
  std::atomic<int> code{SQLITE_IOERR};
  std::atomic<bool> persistent{false};
  std::atomic<std::int64_t> counts[3]{};
  std::atomic<std::int64_t> injected{0};
};

State& state() {
  static State s;
  return s;
}

/// Our file: the real file's object follows this header in the same allocation.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  const char* name;
};

const bool kTrace = std::getenv("VELDWACHT_FAULT_TRACE") != nullptr;

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

/// Counts one operation; true when it must fail.
bool shouldFail(FaultOp op) {
  State& s = state();
  const int i = static_cast<int>(op);
  const std::int64_t n = ++s.counts[i];
  if (s.armedOp.load() != i) return false;
  const std::int64_t t = s.target.load();
  if (n == t || (s.persistent.load() && n > t)) {
    ++s.injected;
    return true;
  }
  return false;
}

int xClose(sqlite3_file* f) {
  sqlite3_file* r = real(f);
  const int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
  return rc;
}
int xRead(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  return real(f)->pMethods->xRead(real(f), buf, amt, off);
}
int xWrite(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  const bool fail = shouldFail(FaultOp::Write);
  if (kTrace)
    std::fprintf(stderr, "vfs write #%lld %s %d@%lld%s\n",
                 static_cast<long long>(state().counts[0].load()),
                 reinterpret_cast<File*>(f)->name ? reinterpret_cast<File*>(f)->name : "(temp)",
                 amt, static_cast<long long>(off), fail ? " FAIL" : "");
  if (fail) return state().code.load();
  return real(f)->pMethods->xWrite(real(f), buf, amt, off);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (shouldFail(FaultOp::Truncate)) return state().code.load();
  return real(f)->pMethods->xTruncate(real(f), size);
}
int xSync(sqlite3_file* f, int flags) {
  if (shouldFail(FaultOp::Sync)) return state().code.load();
  return real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return real(f)->pMethods->xFileSize(real(f), size);
}
int xLock(sqlite3_file* f, int lock) { return real(f)->pMethods->xLock(real(f), lock); }
int xUnlock(sqlite3_file* f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); }
int xCheckReservedLock(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int xSectorSize(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int xDeviceCharacteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int xShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int xShmUnmap(sqlite3_file* f, int deleteFlag) {
  return real(f)->pMethods->xShmUnmap(real(f), deleteFlag);
}
int xFetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** pp) {
  return real(f)->pMethods->xFetch(real(f), off, amt, pp);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return real(f)->pMethods->xUnfetch(real(f), off, p);
}

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
  State& s = state();
  auto* mine = reinterpret_cast<File*>(f);
  mine->real = reinterpret_cast<sqlite3_file*>(mine + 1);
  mine->base.pMethods = nullptr;
  mine->name = name;
  const int rc = s.real->xOpen(s.real, name, mine->real, flags, outFlags);
  if (mine->real->pMethods) {
    const int version = mine->real->pMethods->iVersion;
    mine->base.pMethods = &s.methods[version < 1 ? 1 : (version > 3 ? 3 : version)];
  }
  return rc;
}
int xDelete(sqlite3_vfs*, const char* name, int syncDir) {
  return state().real->xDelete(state().real, name, syncDir);
}
int xAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
  return state().real->xAccess(state().real, name, flags, out);
}
int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return state().real->xFullPathname(state().real, name, n, out);
}
void* xDlOpen(sqlite3_vfs*, const char* name) { return state().real->xDlOpen(state().real, name); }
void xDlError(sqlite3_vfs*, int n, char* msg) { state().real->xDlError(state().real, n, msg); }
void (*xDlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return state().real->xDlSym(state().real, h, sym);
}
void xDlClose(sqlite3_vfs*, void* h) { state().real->xDlClose(state().real, h); }
int xRandomness(sqlite3_vfs*, int n, char* out) {
  return state().real->xRandomness(state().real, n, out);
}
int xSleep(sqlite3_vfs*, int us) { return state().real->xSleep(state().real, us); }
int xCurrentTime(sqlite3_vfs*, double* t) { return state().real->xCurrentTime(state().real, t); }
int xGetLastError(sqlite3_vfs*, int n, char* out) {
  return state().real->xGetLastError(state().real, n, out);
}
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
  return state().real->xCurrentTimeInt64(state().real, t);
}

}  // namespace

FaultVfs& FaultVfs::install() {
  static FaultVfs instance;
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_initialize();
    State& s = state();
    s.real = sqlite3_vfs_find(nullptr);
    sqlite3_vfs& v = s.vfs;
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(File)) + s.real->szOsFile;
    v.mxPathname = s.real->mxPathname;
    v.zName = "veldwacht_fault";
    v.xOpen = xOpen;
    v.xDelete = xDelete;
    v.xAccess = xAccess;
    v.xFullPathname = xFullPathname;
    v.xDlOpen = xDlOpen;
    v.xDlError = xDlError;
    v.xDlSym = xDlSym;
    v.xDlClose = xDlClose;
    v.xRandomness = xRandomness;
    v.xSleep = xSleep;
    v.xCurrentTime = xCurrentTime;
    v.xGetLastError = xGetLastError;
    v.xCurrentTimeInt64 = s.real->iVersion >= 2 ? xCurrentTimeInt64 : nullptr;
    for (int version = 1; version <= 3; ++version) {
      sqlite3_io_methods& m = s.methods[version];
      m.iVersion = version;
      m.xClose = xClose;
      m.xRead = xRead;
      m.xWrite = xWrite;
      m.xTruncate = xTruncate;
      m.xSync = xSync;
      m.xFileSize = xFileSize;
      m.xLock = xLock;
      m.xUnlock = xUnlock;
      m.xCheckReservedLock = xCheckReservedLock;
      m.xFileControl = xFileControl;
      m.xSectorSize = xSectorSize;
      m.xDeviceCharacteristics = xDeviceCharacteristics;
      if (version >= 2) {
        m.xShmMap = xShmMap;
        m.xShmLock = xShmLock;
        m.xShmBarrier = xShmBarrier;
        m.xShmUnmap = xShmUnmap;
      }
      if (version >= 3) {
        m.xFetch = xFetch;
        m.xUnfetch = xUnfetch;
      }
    }
    sqlite3_vfs_register(&v, /*makeDflt=*/1);
  });
  return instance;
}

void FaultVfs::arm(FaultOp op, std::int64_t n, int code, bool persistent) {
  State& s = state();
  s.armedOp = -1;
  reset();
  s.target = n;
  s.code = code;
  s.persistent = persistent;
  s.armedOp = static_cast<int>(op);
}

void FaultVfs::disarm() { state().armedOp = -1; }

FaultCounts FaultVfs::counts() const {
  const State& s = state();
  return {s.counts[0].load(), s.counts[1].load(), s.counts[2].load(), s.injected.load()};
}

void FaultVfs::reset() {
  State& s = state();
  for (auto& c : s.counts) c = 0;
  s.injected = 0;
}

}  // namespace veldwacht::layers::testing
