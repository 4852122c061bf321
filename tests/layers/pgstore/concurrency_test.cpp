// Many users at once on a real server: two imports together lose no row, two imports of the
// same keys end with exactly one written whole and the other refused with a message naming a
// row (never half of either), and readers during an import see all of it or none of it.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "layers/pgstore/pg_store.h"
#include "tests/layers/pgstore/data.h"
#include "tests/layers/pgstore/temp_postgres.h"

namespace veldwacht::layers {
namespace {

using pgstore::PgStore;
using testing::cluster;
using testing::TempPostgres;

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!TempPostgres::available()) GTEST_SKIP() << "PostgreSQL 15 + PostGIS not installed";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    url_ = cluster().newDatabase(std::string("c_") + info->name());
    owner_ = PgStore::create(url_);
    owner_->append(testing::partnerBatches());
  }
  std::int64_t count(const std::string& sql) { return std::stoll(*owner_->query(sql).at(0).at(0)); }

  /// What one import thread ended with.
  struct Outcome {
    bool ok = false;
    std::string error;
    std::vector<Problem> problems;
  };
  /// Runs the appends of `batches` at the same moment, each on its own connection.
  std::vector<Outcome> together(std::vector<ImportBatch> batches) {
    std::vector<Outcome> out(batches.size());
    std::vector<std::unique_ptr<PgStore>> stores;
    for (std::size_t i = 0; i < batches.size(); ++i) stores.push_back(PgStore::open(url_, true));
    std::latch start(std::ptrdiff_t(batches.size()));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < batches.size(); ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        try {
          stores[i]->append(std::span<const ImportBatch>(&batches[i], 1));
          out[i].ok = true;
        } catch (const ValidationError& e) {
          out[i].error = e.what();
          out[i].problems = e.problems();
        } catch (const std::exception& e) {
          out[i].error = e.what();
        }
      });
    for (auto& t : threads) t.join();
    return out;
  }

  std::string url_;
  std::unique_ptr<PgStore> owner_;
};

TEST_F(ConcurrencyTest, TwoImportsAtOnceLoseNoRow) {
  std::vector<ImportBatch> batches;
  batches.push_back(testing::signalBatch(0, 1500, "a.csv"));
  batches.push_back(testing::signalBatch(1500, 1500, "b.csv"));
  const auto out = together(std::move(batches));
  ASSERT_TRUE(out[0].ok) << out[0].error;
  ASSERT_TRUE(out[1].ok) << out[1].error;
  EXPECT_EQ(count("SELECT count(*) FROM signalen"), 3000);
  EXPECT_EQ(count("SELECT count(DISTINCT signaal_id) FROM signalen"), 3000);
  // Each import's rows carry its own import_id, and its veldwacht_imports row says 1500.
  const auto rows = owner_->query(
      "SELECT i.bron_bestand, i.rijen, count(s.fid) FROM veldwacht_imports i JOIN signalen s "
      "USING (import_id) GROUP BY 1, 2 ORDER BY 1");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) {
    EXPECT_EQ(*r[1], "1500");
    EXPECT_EQ(*r[2], "1500");
  }
}

TEST_F(ConcurrencyTest, TwoImportsOfTheSameKeysWriteOneWholeAndRefuseTheOtherByRow) {
  // A few rounds, so that both orders of events (refused by the check before writing, or by
  // the database when the other committed first) get their chance.
  for (int round = 0; round < 4; ++round) {
    const int base = 10000 * (round + 1);
    const std::int64_t before = count("SELECT count(*) FROM signalen");
    const std::int64_t importsBefore = count("SELECT count(*) FROM veldwacht_imports");
    std::vector<ImportBatch> batches;
    batches.push_back(testing::signalBatch(base, 1000, "a.csv"));
    batches.push_back(testing::signalBatch(base + 500, 1000, "b.csv"));  // 500 keys in common
    const auto out = together(std::move(batches));
    ASSERT_NE(out[0].ok, out[1].ok)
        << "round " << round << ": " << out[0].error << " | " << out[1].error;
    const Outcome& lost = out[0].ok ? out[1] : out[0];
    const std::string loserFile = out[0].ok ? "b.csv" : "a.csv";
    ASSERT_FALSE(lost.problems.empty()) << lost.error;
    const Problem& p = lost.problems.front();
    EXPECT_EQ(p.where.file, loserFile);
    EXPECT_EQ(p.where.field, "signaal_id");
    ASSERT_TRUE(p.where.row.has_value());
    // The row named holds a key both imports share.
    const int key = int(*p.where.row) - 2;  // signalBatch: row = key + 2
    EXPECT_GE(key, base + 500) << p.str();
    EXPECT_LT(key, base + 1000) << p.str();
    EXPECT_NE(p.message.find("SIG-" + std::to_string(key)), std::string::npos) << p.str();
    // Exactly the winner's 1000 rows, under one import id.
    EXPECT_EQ(count("SELECT count(*) FROM signalen") - before, 1000);
    EXPECT_EQ(count("SELECT count(*) FROM veldwacht_imports") - importsBefore, 1);
    EXPECT_EQ(count("SELECT count(DISTINCT import_id) FROM signalen WHERE signaal_id LIKE 'SIG-" +
                    std::to_string(round + 1) + "____'"),
              1);
  }
}

TEST_F(ConcurrencyTest, ReadersDuringAnImportSeeAllOfItOrNoneOfIt) {
  // Two layers in one append (two COPYs): a reader must never see one without the other.
  const std::string both = "SELECT (SELECT count(*) FROM signalen) + (SELECT count(*) FROM vab)";
  const std::int64_t before = count(both);
  std::vector<ImportBatch> batches;
  batches.push_back(testing::signalBatch(0, 3000));
  auto vab = testing::batch("vab", "vab.csv");
  for (int i = 0; i < 500; ++i)
    vab.records.push_back(
        testing::record("vab", {{"vab_id", "V" + std::to_string(i)}, {"leegstand", "leeg"}},
                        "POINT(" + std::to_string(201000 + i) + " 501000)", i + 2));
  batches.push_back(std::move(vab));
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      pg::Connection c(url_);
      do {
        const auto n = std::stoll(*c.query(both).at(0).at(0));
        if (n != before && n != before + 3500) ++torn;
        ++reads;
      } while (!done);
    });
  auto writer = PgStore::open(url_, true);
  writer->append(batches);
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_GE(reads.load(), 3);
  EXPECT_EQ(count(both), before + 3500);
}

}  // namespace
}  // namespace veldwacht::layers
