// Allocation-failure injection as SQLite tests itself (test_malloc.c): every allocation SQLite
// makes during an operation is made to fail in turn (once, or from then on: "persistent"),
// through a wrapper of SQLite's memory methods installed before SQLite is initialised (first
// thing in main, before GDAL registers its drivers). After every failure the store must be
// intact (integrity_check, rtreecheck, R-tree entries against rows), hold exactly the old or the
// new content, the error must be a StorageError "out of memory …; nothing was changed" (never a
// row blamed, never another error), and the next import must work.
//
// By default every k-th n is tried (at most ~kDefaultTrials per case) so that the unit label
// stays fast; VELDWACHT_FAULT_ALL=1 tries every n, VELDWACHT_FAULT_STRIDE=k every k-th. Each case
// prints "alloc-failure <case> <mode> trials N failures F storage-errors S injected I".
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <string>
#include <typeinfo>

#include "geo/core/error.h"
#include "layers/store/statement.h"
#include "layers/store/store.h"
#include "tests/layers/store/fault_cases.h"
#include "tests/layers/store/fault_malloc.h"
#include "tests/layers/store/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

FaultMalloc* gMalloc = nullptr;

constexpr std::int64_t kDefaultTrials = 8;

struct Figures {
  std::int64_t trials = 0;
  std::int64_t failures = 0;
  std::int64_t thrown = 0;    ///< StorageError "out of memory"
  std::int64_t injected = 0;  ///< trials in which an allocation was made to fail
  std::int64_t total = 0;     ///< allocations of the clean run
  std::int64_t unnamed = 0;   ///< StorageErrors that say "SQLite ended the transaction by itself"
  std::int64_t atCommit = 0;  ///< journaled result file: allocations up to its COMMIT
  std::int64_t afterCommit = 0;  ///< trials failing an allocation after that COMMIT
};

// The allocation count when a journaled result write reached its COMMIT ("committed").
std::int64_t gAtCommit = 0;
void noteCommit(const char* step) {
  if (std::string(step) == "committed") gAtCommit = gMalloc->counts().allocations;
}

/// Runs `c` once with no fault (for the allocation count and the "new" digest), then once for
/// every (stride-th) n with the n-th allocation failing; for a journaled result file also
/// kDefaultTrials n (or every stride-th) among the allocations after its COMMIT (the moves'
/// second transaction: the record's deletion; the reopen).
Figures runCase(const Case& c, bool persistent) {
  TempDir dir;
  const std::string base = baseStore(dir);
  c.prepare(base, dir);
  const ResultFiles files = ResultFiles::of(dir);
  const std::string oldDigest = digestOf(base);
  const std::string work = dir.file("work.gpkg");

  copyStore(base, work);
  std::int64_t total = 0;
  {
    auto store = Store::open(work, true);
    gMalloc->reset();
    gAtCommit = 0;
    resultFileStep = noteCommit;
    c.operation(*store, dir);
    resultFileStep = nullptr;
    store.reset();
    total = gMalloc->counts().allocations;
  }
  const std::string newDigest = digestOf(work);
  EXPECT_NE(oldDigest, newDigest) << c.name << ": the operation changed nothing";
  EXPECT_GT(total, 0);
  const bool all = std::getenv("VELDWACHT_FAULT_ALL") != nullptr;
  std::int64_t stride = all ? 1 : std::max<std::int64_t>(1, total / kDefaultTrials);
  if (const char* s = std::getenv("VELDWACHT_FAULT_STRIDE")) stride = std::max(1LL, std::atoll(s));

  Figures fig;
  fig.total = total;
  fig.atCommit = gAtCommit;
  std::int64_t first = 1;
  if (const char* only = std::getenv("VELDWACHT_FAULT_ONLY")) first = std::atoll(only);
  const bool trace = std::getenv("VELDWACHT_FAULT_TRACE") != nullptr;
  std::vector<std::int64_t> ns;
  for (std::int64_t n = first; n <= total; n += stride) ns.push_back(n);
  if (c.journaled) {
    EXPECT_GT(gAtCommit, 0) << c.name << ": the COMMIT step was not reached";
    const std::int64_t after = total - gAtCommit;
    std::int64_t afterStride = all ? 1 : std::max<std::int64_t>(1, after / kDefaultTrials);
    if (const char* s = std::getenv("VELDWACHT_FAULT_STRIDE"))
      afterStride = std::max(1LL, std::atoll(s));
    for (std::int64_t n = std::max(first, gAtCommit + 1); n <= total; n += afterStride)
      if (std::find(ns.begin(), ns.end(), n) == ns.end()) ns.push_back(n);
  }
  for (const std::int64_t n : ns) {
    ++fig.trials;
    if (c.journaled && n > gAtCommit) ++fig.afterCommit;
    copyStore(base, work);
    if (c.journaled) files.restore(dir);
    std::string failure;
    WriteOutcome outcome = WriteOutcome::Succeeded;
    {
      std::unique_ptr<Store> store = Store::open(work, true);
      gMalloc->arm(n, persistent);
      try {
        c.operation(*store, dir);
      } catch (const StorageError& e) {
        ++fig.thrown;
        outcome = WriteOutcome::StorageError;
        const std::string what = e.what();
        if (trace) std::fprintf(stderr, "n %lld thrown: %s\n", static_cast<long long>(n), e.what());
        // "could not be written" or, for a read before the transaction, "could not be read".
        if (what.find("the store could not be") == std::string::npos ||
            what.find("nothing was changed") == std::string::npos)
          failure += "unclear message: " + what + "\n";
        else if (what.find("out of memory") == std::string::npos)
          ++fig.unnamed;  // SQLite rolled back; GDAL's later statements overwrote the cause

      } catch (const std::exception& e) {
        if (c.journaled && isWrittenNotMoved(e))
          outcome = WriteOutcome::WrittenNotMoved;
        else
          failure +=
              std::string("not a StorageError: ") + typeid(e).name() + ": " + e.what() + "\n";
      }
      store.reset();  // closing allocates too: still armed
      if (gMalloc->counts().injected > 0) ++fig.injected;
      gMalloc->disarm();
    }
    failure += afterTrialProblems(work, dir, c, outcome, oldDigest, newDigest);
    if (!failure.empty()) {
      ++fig.failures;
      ADD_FAILURE() << c.name << ", allocation " << n << " of " << total << " failing"
                    << (persistent ? " (persistent)" : "") << ":\n"
                    << failure;
    }
  }
  return fig;
}

struct Param {
  const char* caseName;
  bool persistent;
};

class AllocFailure : public ::testing::TestWithParam<Param> {};

}  // namespace

TEST_P(AllocFailure, EveryFailedAllocationLeavesTheOldOrTheNewStoreAndTheNextImportWorks) {
  const Param& p = GetParam();
  // Persistent failure (every allocation from the n-th on): GDAL 3.6 crashes when it creates a
  // layer while SQLite can allocate nothing (docs/reliability.md). Result tables are created
  // with our own SQL now, so only the case that still goes through GDAL's layer creation is
  // skipped.
  if (p.persistent && std::string(p.caseName) == "cluster_gdal" &&
      !std::getenv("VELDWACHT_FAULT_PERSISTENT"))
    GTEST_SKIP() << "GDAL 3.6 crashes under exhausted memory (unchecked sqlite3_mprintf in "
                    "the GeoPackage driver's deferred CREATE TABLE; reproduced without "
                    "Veldwacht by bench/reliability/gdal_oom_close.cpp, docs/reliability.md); "
                    "only result layers created through GDAL (SpatiaLite stores, coded-value "
                    "fields) take that path; set VELDWACHT_FAULT_PERSISTENT=1 to run";
  const Figures fig = runCase(caseNamed(p.caseName), p.persistent);
  std::printf(
      "alloc-failure %s %s allocations %lld trials %lld failures %lld storage-errors %lld "
      "(cause not named %lld) injected %lld\n",
      p.caseName, p.persistent ? "persistent" : "once", static_cast<long long>(fig.total),
      static_cast<long long>(fig.trials), static_cast<long long>(fig.failures),
      static_cast<long long>(fig.thrown), static_cast<long long>(fig.unnamed),
      static_cast<long long>(fig.injected));
  if (fig.atCommit > 0)
    std::printf("alloc-failure %s %s committed at allocation %lld; trials after it %lld\n",
                p.caseName, p.persistent ? "persistent" : "once",
                static_cast<long long>(fig.atCommit), static_cast<long long>(fig.afterCommit));
  EXPECT_GT(fig.trials, 0);
  EXPECT_GT(fig.injected, 0) << "no allocation was made to fail";
  EXPECT_EQ(fig.failures, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Store, AllocFailure,
    ::testing::Values(Param{"import", false}, Param{"import", true}, Param{"stream_import", false},
                      Param{"stream_import", true}, Param{"stream_import_new", false},
                      Param{"stream_import_new", true}, Param{"cluster", false},
                      Param{"cluster", true}, Param{"cluster_gdal", false},
                      Param{"cluster_gdal", true}, Param{"cluster_columns", false},
                      Param{"cluster_columns", true}, Param{"global", false}, Param{"global", true},
                      Param{"raster", false}, Param{"raster", true}, Param{"raster_journal", false},
                      Param{"raster_journal", true}, Param{"risk_journal", false},
                      Param{"risk_journal", true}),
    [](const ::testing::TestParamInfo<Param>& param) {
      return std::string(param.param.caseName) + (param.param.persistent ? "_persistent" : "_once");
    });

TEST(AllocFailureBind, AFailedBindIsAStorageFailureNotANull) {
  // GDAL 3.6 ignores sqlite3_bind_text's result: when SQLite cannot copy the text the parameter
  // stays NULL and the row is written without it. Our Statement checks every bind.
  TempDir dir;
  auto store = Store::create(dir.file("s.gpkg"));
  Statement insert(store->dataset(), "SELECT ?");
  const std::string big(100000, 'x');  // beyond the lookaside: a real allocation
  gMalloc->arm(1, /*persistent=*/false);
  try {
    insert.text(1, big);
    gMalloc->disarm();
    ADD_FAILURE() << "the bind did not fail";
  } catch (const StorageError& e) {
    gMalloc->disarm();
    EXPECT_NE(std::string(e.what()).find("out of memory"), std::string::npos) << e.what();
  }
  EXPECT_GT(gMalloc->counts().injected, 0);
  // Disarmed, the same statement binds and runs.
  insert.text(1, "ok");
  EXPECT_TRUE(insert.step());
  EXPECT_EQ(insert.columnText(0), "ok");
}

TEST(AllocFailureShim, FailsTheNthAllocationOnlyWhileArmed) {
  // The shim itself: a fresh in-memory connection needs allocations; with the first one failing
  // sqlite3_open reports SQLITE_NOMEM, and disarmed it works again.
  gMalloc->arm(1, /*persistent=*/true);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open(":memory:", &db);
  gMalloc->disarm();
  EXPECT_EQ(rc, SQLITE_NOMEM);
  sqlite3_close(db);
  db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

int main(int argc, char** argv) {
  // Before anything initialises SQLite (GDAL's driver registration included).
  gMalloc = &FaultMalloc::install();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
