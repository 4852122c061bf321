#include "geo/core/progress.h"
#include "tests/geo/expect_error.h"

#include <gtest/gtest.h>

#include <vector>

using namespace veldwacht::geo;

namespace {
class RecordingProgress : public Progress {
 public:
  void setFraction(double f) override { fractions.push_back(f); }
  bool isCancelled() const override {
    return cancelAfter >= 0 && int(fractions.size()) > cancelAfter;
  }
  std::vector<double> fractions;
  int cancelAfter = -1;
};
}  // namespace

TEST(ProgressStep, ReportsMonotoneFractionsWithinItsRange) {
  RecordingProgress p;
  ProgressStep step(p, 0.25, 0.75);
  for (std::size_t i = 0; i <= 1000; ++i) step.tick(i, 1000);
  ASSERT_GE(p.fractions.size(), 3u);
  EXPECT_DOUBLE_EQ(p.fractions.front(), 0.25);
  EXPECT_DOUBLE_EQ(p.fractions.back(), 0.75);
  for (std::size_t i = 1; i < p.fractions.size(); ++i)
    EXPECT_LE(p.fractions[i - 1], p.fractions[i]);
  EXPECT_LT(p.fractions.size(), 300u) << "ticks are throttled";
}

TEST(ProgressStep, ThrowsCancelledWhenTheHostCancels) {
  RecordingProgress p;
  p.cancelAfter = 5;
  ProgressStep step(p, 0.0, 1.0);
  EXPECT_THROW_WITH(for (std::size_t i = 0; i <= 100000; ++i) step.tick(i, 100000), CancelledError,
                    "cancelled");
}

TEST(SubProgress, MapsChildFractionsOntoParentRange) {
  RecordingProgress p;
  SubProgress sub(p, 0.5, 1.0);
  sub.setFraction(0.5);
  ASSERT_EQ(p.fractions.size(), 1u);
  EXPECT_DOUBLE_EQ(p.fractions[0], 0.75);
}

TEST(CancellableProgress, CancelIsSeenByCheck) {
  CancellableProgress p;
  EXPECT_NO_THROW(p.checkCancelled());
  p.cancel();
  EXPECT_THROW_WITH(p.checkCancelled(), CancelledError, "cancelled");
}
