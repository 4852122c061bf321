// geo::Progress for the shell: a one-line bar on stderr when it is a terminal, silent otherwise;
// Ctrl-C cancels the running operation (which then discards its partial output).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "geo/core/progress.h"

namespace veldwacht::cli {

class TerminalProgress final : public geo::Progress {
 public:
  TerminalProgress();
  ~TerminalProgress() override;

  void setFraction(double fraction) override;
  void setPhase(std::string_view phase) override;
  bool isCancelled() const override;

  /// Starts a new task line ("import", "dbscan"); finishes the previous bar.
  void begin(std::string_view task);
  /// Ends the current bar (clears the line).
  void finish();

 private:
  void draw(double fraction);
  bool enabled_;
  std::mutex mutex_;
  std::string task_;
  std::string phase_;
  int lastPermille_ = -1;
  std::chrono::steady_clock::time_point lastDraw_;
};

/// Set by the SIGINT handler; checked by TerminalProgress::isCancelled.
extern std::atomic<bool> interrupted;
void installInterruptHandler();

}  // namespace veldwacht::cli
