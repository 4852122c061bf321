// Progress and cancellation: a parameter of every long loop (cf. QgsFeedback, GEOS interrupts).
#pragma once

#include <atomic>
#include <cstddef>
#include <string_view>

#include "geo/core/error.h"

namespace veldwacht::geo {

/// Implemented by each host: the CLI draws a bar on a terminal, the plugin forwards to
/// QgsProcessingFeedback. Implementations must be callable from worker threads.
class Progress {
 public:
  virtual ~Progress() = default;
  /// fraction in [0, 1] of the whole operation.
  virtual void setFraction(double fraction) = 0;
  /// a short phase text ("indexing", "permutations"); optional for hosts to show.
  virtual void setPhase(std::string_view /*phase*/) {}
  virtual bool isCancelled() const = 0;

  /// Throws CancelledError when the host asked to stop.
  void checkCancelled() const {
    if (isCancelled()) throw CancelledError();
  }
};

/// A Progress that reports nothing and is never cancelled.
class NullProgress final : public Progress {
 public:
  void setFraction(double) override {}
  bool isCancelled() const override { return false; }
};

/// Returns a process-wide NullProgress, for callers that pass no progress.
Progress& nullProgress();

/// A Progress that can be cancelled from another thread (tests, Ctrl-C handlers).
class CancellableProgress : public Progress {
 public:
  void setFraction(double f) override { fraction_.store(f, std::memory_order_relaxed); }
  bool isCancelled() const override { return cancelled_.load(std::memory_order_relaxed); }
  void cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  double fraction() const { return fraction_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<double> fraction_{0.0};
};

/// Maps a sub-range [begin, end) of a parent's progress onto a child phase, so nested steps
/// report one monotone fraction. Throttles: `tick(i, n)` reports and checks cancel about every
/// 1/256 of the work, cheap enough for inner loops.
class ProgressStep {
 public:
  ProgressStep(Progress& parent, double begin, double end, std::string_view phase = {})
      : parent_(parent), begin_(begin), end_(end) {
    if (!phase.empty()) parent_.setPhase(phase);
    parent_.setFraction(begin_);
    parent_.checkCancelled();
  }
  /// Report that `done` of `total` units are complete; throws CancelledError when cancelled.
  void tick(std::size_t done, std::size_t total) {
    const std::size_t stride = total / 256 + 1;
    if (done % stride != 0 && done != total) return;
    parent_.setFraction(begin_ + (end_ - begin_) * (total ? double(done) / double(total) : 1.0));
    parent_.checkCancelled();
  }
  void done() { parent_.setFraction(end_); }
  Progress& parent() { return parent_; }

 private:
  Progress& parent_;
  double begin_;
  double end_;
};

/// A child Progress covering [begin, end) of a parent, to hand to a nested algorithm.
class SubProgress final : public Progress {
 public:
  SubProgress(Progress& parent, double begin, double end)
      : parent_(parent), begin_(begin), end_(end) {}
  void setFraction(double f) override { parent_.setFraction(begin_ + (end_ - begin_) * f); }
  void setPhase(std::string_view phase) override { parent_.setPhase(phase); }
  bool isCancelled() const override { return parent_.isCancelled(); }

 private:
  Progress& parent_;
  double begin_;
  double end_;
};

}  // namespace veldwacht::geo
