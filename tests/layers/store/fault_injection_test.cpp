// Fault injection as SQLite tests itself: every write / sync / truncate of an operation is made
// to fail in turn (SQLITE_FULL, SQLITE_IOERR), through a wrapper of the default VFS that GDAL's
// GeoPackage driver uses too. After every failure the store must be intact (integrity_check,
// rtreecheck, every R-tree entry has its row and every row its entry), hold either exactly the
// old content or exactly the new one (never a mix), the error must be a StorageError (never a
// row blamed), and the next import must work.
//
// By default every k-th n is tried so that the unit label stays fast (k chosen for at most
// ~kDefaultTrials trials per case); VELDWACHT_FAULT_ALL=1 tries every n (label reliability).
// Each case prints "fault-injection <case> trials N failures F wal-left W".
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include "geo/core/error.h"
#include "layers/results/results.h"
#include "layers/store/store.h"
#include "tests/layers/store/fault_cases.h"
#include "tests/layers/store/fault_rename.h"
#include "tests/layers/store/fault_vfs.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace fs = std::filesystem;

namespace {

// Installed before GDAL opens anything (static initialisation of this test binary).
FaultVfs& gVfs = FaultVfs::install();

constexpr std::int64_t kDefaultTrials = 6;

struct Figures {
  std::int64_t trials = 0;
  std::int64_t failures = 0;
  std::int64_t walLeft = 0;
  std::int64_t thrown = 0;
  std::int64_t atCommit = 0;     ///< journaled result file: operations up to its COMMIT
  std::int64_t afterCommit = 0;  ///< trials failing an operation after that COMMIT
};

std::int64_t countOf(const FaultCounts& c, FaultOp op) {
  return op == FaultOp::Write ? c.writes : op == FaultOp::Sync ? c.syncs : c.truncates;
}

// The fault VFS's counts when a journaled result write reached its COMMIT ("committed").
FaultCounts gAtCommit;
void noteCommit(const char* step) {
  if (std::string(step) == "committed") gAtCommit = gVfs.counts();
}

/// Runs `c` once without faults (for the counts and the "new" digest), then with the n-th
/// operation of kind `op` failing for n = 1.. count (every stride-th; for a journaled result
/// file every n after the COMMIT too: the moves' second transaction, the record's deletion).
Figures runCase(const Case& c, FaultOp op, int code, bool persistent) {
  TempDir dir;
  const std::string base = baseStore(dir);
  c.prepare(base, dir);
  const ResultFiles files = ResultFiles::of(dir);
  const std::string oldDigest = digestOf(base);
  const std::string work = dir.file("work.gpkg");

  copyStore(base, work);
  gVfs.reset();
  gAtCommit = {};
  resultFileStep = noteCommit;
  {
    auto store = Store::open(work, true);
    c.operation(*store, dir);
  }
  resultFileStep = nullptr;
  const FaultCounts clean = gVfs.counts();
  const std::string newDigest = digestOf(work);
  EXPECT_NE(oldDigest, newDigest) << c.name << ": the operation changed nothing";
  const std::int64_t total = countOf(clean, op);
  const bool all = std::getenv("VELDWACHT_FAULT_ALL") != nullptr;
  const std::int64_t stride = all ? 1 : std::max<std::int64_t>(1, total / kDefaultTrials);

  Figures fig;
  std::int64_t first = 1;
  if (const char* only = std::getenv("VELDWACHT_FAULT_ONLY")) first = std::atoll(only);
  std::vector<std::int64_t> ns;
  for (std::int64_t n = first; n <= total; n += stride) ns.push_back(n);
  if (c.journaled) {
    EXPECT_GT(countOf(gAtCommit, op), 0) << c.name << ": the COMMIT step was not reached";
    for (std::int64_t n = std::max(first, countOf(gAtCommit, op) + 1); n <= total; ++n)
      if (std::find(ns.begin(), ns.end(), n) == ns.end()) ns.push_back(n);
  }
  if (c.journaled) fig.atCommit = countOf(gAtCommit, op);
  for (const std::int64_t n : ns) {
    ++fig.trials;
    if (c.journaled && n > fig.atCommit) ++fig.afterCommit;
    copyStore(base, work);
    if (c.journaled) files.restore(dir);
    std::string failure;
    WriteOutcome outcome = WriteOutcome::Succeeded;
    {
      std::unique_ptr<Store> store = Store::open(work, true);
      if (std::getenv("VELDWACHT_FAULT_TRACE")) {
        auto* db = static_cast<sqlite3*>(store->dataset().GetInternalHandle("SQLITE_HANDLE"));
        sqlite3_trace_v2(
            db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
            [](unsigned type, void*, void* p, void* x) -> int {
              auto* st = static_cast<sqlite3_stmt*>(p);
              if (type == SQLITE_TRACE_STMT)
                std::fprintf(stderr, "sql: %.150s [autocommit %d]\n", static_cast<const char*>(x),
                             sqlite3_get_autocommit(sqlite3_db_handle(st)));
              return 0;
            },
            nullptr);
      }
      gVfs.arm(op, n, code, persistent);
      try {
        c.operation(*store, dir);
      } catch (const StorageError& e) {
        ++fig.thrown;
        outcome = WriteOutcome::StorageError;
        if (std::getenv("VELDWACHT_FAULT_TRACE")) std::fprintf(stderr, "thrown: %s\n", e.what());
        const std::string what = e.what();
        if (what.find("the store could not be written") == std::string::npos)
          failure += "unclear message: " + what + "\n";
      } catch (const std::exception& e) {
        if (c.journaled && isWrittenNotMoved(e)) {
          ++fig.thrown;
          outcome = WriteOutcome::WrittenNotMoved;
        } else {
          failure +=
              std::string("not a StorageError: ") + typeid(e).name() + ": " + e.what() + "\n";
        }
      }
      store.reset();  // closing may write too (checkpoint): still armed
      gVfs.disarm();
    }
    if (fs::exists(work + "-wal")) ++fig.walLeft;
    failure += afterTrialProblems(work, dir, c, outcome, oldDigest, newDigest);
    if (!failure.empty()) {
      ++fig.failures;
      ADD_FAILURE() << c.name << ", fault at operation " << n << ":\n" << failure;
    }
  }
  return fig;
}

const char* opName(FaultOp op) {
  return op == FaultOp::Write ? "write" : op == FaultOp::Sync ? "sync" : "truncate";
}

struct Param {
  const char* caseName;
  FaultOp op;
  int code;
  bool persistent;
};

class FaultInjection : public ::testing::TestWithParam<Param> {};

}  // namespace

TEST_P(FaultInjection, EveryFailedOperationLeavesTheOldOrTheNewStoreAndTheNextImportWorks) {
  const Param& p = GetParam();
  const Figures fig = runCase(caseNamed(p.caseName), p.op, p.code, p.persistent);
  std::printf(
      "fault-injection %s %s %s%s trials %lld failures %lld storage-errors %lld wal-left "
      "%lld\n",
      p.caseName, opName(p.op), p.code == SQLITE_FULL ? "SQLITE_FULL" : "SQLITE_IOERR",
      p.persistent ? " persistent" : "", static_cast<long long>(fig.trials),
      static_cast<long long>(fig.failures), static_cast<long long>(fig.thrown),
      static_cast<long long>(fig.walLeft));
  if (fig.atCommit > 0)
    std::printf("fault-injection %s %s committed at operation %lld; trials after it %lld\n",
                p.caseName, opName(p.op), static_cast<long long>(fig.atCommit),
                static_cast<long long>(fig.afterCommit));
  EXPECT_GT(fig.trials, 0);
  EXPECT_GT(fig.thrown, 0) << "no injected fault reached the caller";
  EXPECT_EQ(fig.failures, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Store, FaultInjection,
    ::testing::Values(Param{"import", FaultOp::Write, SQLITE_FULL, true},
                      Param{"import", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"import", FaultOp::Sync, SQLITE_IOERR_FSYNC, false},
                      Param{"cluster", FaultOp::Write, SQLITE_FULL, true},
                      Param{"cluster", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"cluster", FaultOp::Sync, SQLITE_IOERR_FSYNC, false},
                      Param{"cluster_columns", FaultOp::Write, SQLITE_FULL, true},
                      Param{"cluster_columns", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"stream_import", FaultOp::Write, SQLITE_FULL, true},
                      Param{"stream_import", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"stream_import_new", FaultOp::Write, SQLITE_FULL, true},
                      Param{"stream_import_new", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"global", FaultOp::Write, SQLITE_FULL, true},
                      Param{"global", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"raster", FaultOp::Write, SQLITE_FULL, true},
                      Param{"raster", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"raster_journal", FaultOp::Write, SQLITE_FULL, true},
                      Param{"raster_journal", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"raster_journal", FaultOp::Sync, SQLITE_IOERR_FSYNC, false},
                      Param{"risk_journal", FaultOp::Write, SQLITE_FULL, true},
                      Param{"risk_journal", FaultOp::Write, SQLITE_IOERR_WRITE, false},
                      Param{"risk_journal", FaultOp::Sync, SQLITE_IOERR_FSYNC, false}),
    [](const ::testing::TestParamInfo<Param>& param) {
      return std::string(param.param.caseName) + "_" + opName(param.param.op) + "_" +
             (param.param.code == SQLITE_FULL ? "full" : "ioerr") +
             (param.param.persistent ? "_persistent" : "");
    });

namespace {

struct RenameParam {
  const char* caseName;
  int error;
  bool persistent;
};

class FaultInjectionRename : public ::testing::TestWithParam<RenameParam> {};

}  // namespace

// The renames after the COMMIT of a journaled result write (the sidecar's, then the raster's)
// failing in turn, on a full disk (ENOSPC, every later rename too) or by an I/O error (EIO,
// once): the caller is told that the result is in the store and its file is not yet in place,
// and the next command finishes the move (journalProblems).
TEST_P(FaultInjectionRename, EveryFailedMoveIsFinishedByTheNextCommand) {
  const RenameParam& p = GetParam();
  const Case c = caseNamed(p.caseName);
  auto& shim = FaultRename::instance();
  TempDir dir;
  const std::string base = baseStore(dir);
  c.prepare(base, dir);
  const ResultFiles files = ResultFiles::of(dir);
  const std::string oldDigest = digestOf(base);
  const std::string work = dir.file("work.gpkg");
  copyStore(base, work);
  shim.reset();
  {
    auto store = Store::open(work, true);
    c.operation(*store, dir);
  }
  const std::int64_t total = shim.renames();
  const std::string newDigest = digestOf(work);
  EXPECT_EQ(total, 2) << "the sidecar and the raster";
  Figures fig;
  for (std::int64_t n = 1; n <= total; ++n) {
    ++fig.trials;
    copyStore(base, work);
    files.restore(dir);
    std::string failure;
    WriteOutcome outcome = WriteOutcome::Succeeded;
    {
      auto store = Store::open(work, true);
      shim.arm(n, p.error, p.persistent);
      try {
        c.operation(*store, dir);
      } catch (const std::exception& e) {
        if (isWrittenNotMoved(e)) {
          ++fig.thrown;
          outcome = WriteOutcome::WrittenNotMoved;
          if (std::string(e.what()).find(std::strerror(p.error)) == std::string::npos)
            failure += std::string("the cause is not named: ") + e.what() + "\n";
        } else {
          failure += std::string("unexpected error: ") + typeid(e).name() + ": " + e.what() + "\n";
        }
      }
      shim.disarm();
    }
    if (outcome == WriteOutcome::Succeeded) failure += "the failed rename was not reported\n";
    try {
      failure += integrityProblems(work);
      failure += journalProblems(work, dir, c.withTable, outcome, oldDigest, newDigest);
      failure += integrityProblems(work);
    } catch (const std::exception& e) {
      failure += std::string("check failed: ") + e.what() + "\n";
    }
    if (!failure.empty()) {
      ++fig.failures;
      ADD_FAILURE() << c.name << ", rename " << n << " failing:\n" << failure;
    }
  }
  std::printf("fault-injection %s rename %s%s trials %lld failures %lld reported %lld\n",
              p.caseName, p.error == ENOSPC ? "ENOSPC" : "EIO", p.persistent ? " persistent" : "",
              static_cast<long long>(fig.trials), static_cast<long long>(fig.failures),
              static_cast<long long>(fig.thrown));
  EXPECT_EQ(fig.failures, 0);
}

INSTANTIATE_TEST_SUITE_P(Store, FaultInjectionRename,
                         ::testing::Values(RenameParam{"raster_journal", ENOSPC, true},
                                           RenameParam{"raster_journal", EIO, false},
                                           RenameParam{"risk_journal", ENOSPC, true},
                                           RenameParam{"risk_journal", EIO, false}),
                         [](const ::testing::TestParamInfo<RenameParam>& param) {
                           return std::string(param.param.caseName) + "_" +
                                  (param.param.error == ENOSPC ? "enospc_persistent" : "eio");
                         });

TEST(FaultInjectionCreate, AFullDiskDuringCreateLeavesNoFileAndSaysSoBriefly) {
  TempDir dir;
  const std::string path = dir.file("new.gpkg");
  gVfs.reset();
  Store::create(path);
  const std::int64_t writes = gVfs.counts().writes;
  const bool all = std::getenv("VELDWACHT_FAULT_ALL") != nullptr;
  const std::int64_t stride = all ? 1 : std::max<std::int64_t>(1, writes / kDefaultTrials);
  std::int64_t trials = 0, failures = 0, refused = 0;
  for (std::int64_t n = 1; n <= writes; n += stride) {
    ++trials;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    std::string failure;
    gVfs.arm(FaultOp::Write, n, SQLITE_FULL, /*persistent=*/true);
    try {
      Store::create(path);
    } catch (const StorageError& e) {
      ++refused;
      const std::string what = e.what();
      // Before: a LibraryError quoting GDAL's whole CREATE TABLE statement (kilobytes).
      if (what.size() > 300) failure += "message of " + std::to_string(what.size()) + " chars\n";
      if (what.find("could not be created: disk full") == std::string::npos)
        failure += "unclear message: " + what + "\n";
      for (const char* suffix : {"", "-wal", "-shm"})
        if (fs::exists(path + suffix))
          failure += std::string("left behind: new.gpkg") + suffix + "\n";
    } catch (const std::exception& e) {
      failure += std::string("not a StorageError: ") + e.what() + "\n";
    }
    gVfs.disarm();
    if (!failure.empty()) {
      ++failures;
      ADD_FAILURE() << "create, fault at write " << n << ":\n" << failure;
    }
  }
  std::printf(
      "fault-injection create write SQLITE_FULL persistent trials %lld failures %lld "
      "storage-errors %lld\n",
      static_cast<long long>(trials), static_cast<long long>(failures),
      static_cast<long long>(refused));
  EXPECT_GT(refused, 0);
}
