#include "cli/terminal_progress.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

#include <unistd.h>

namespace veldwacht::cli {

std::atomic<bool> interrupted{false};

namespace {
extern "C" void onInterrupt(int) { interrupted.store(true); }
}  // namespace

void installInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = onInterrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
}

TerminalProgress::TerminalProgress() : enabled_(isatty(STDERR_FILENO) == 1) {}

TerminalProgress::~TerminalProgress() { finish(); }

bool TerminalProgress::isCancelled() const { return interrupted.load(std::memory_order_relaxed); }

void TerminalProgress::begin(std::string_view task) {
  finish();
  std::lock_guard lock(mutex_);
  task_ = task;
  phase_.clear();
  lastPermille_ = -1;
}

void TerminalProgress::setPhase(std::string_view phase) {
  std::lock_guard lock(mutex_);
  phase_ = phase;
}

void TerminalProgress::setFraction(double fraction) {
  if (!enabled_) return;
  draw(fraction);
}

void TerminalProgress::draw(double fraction) {
  std::lock_guard lock(mutex_);
  const int permille = static_cast<int>(fraction * 1000.0);
  const auto now = std::chrono::steady_clock::now();
  if (permille == lastPermille_ ||
      (now - lastDraw_ < std::chrono::milliseconds(100) && permille < 1000))
    return;
  lastPermille_ = permille;
  lastDraw_ = now;
  constexpr int kWidth = 30;
  const int filled = std::clamp(permille * kWidth / 1000, 0, kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r%-12.12s [%s] %5.1f%% %-20.20s", task_.c_str(), bar.c_str(),
               permille / 10.0, phase_.c_str());
  std::fflush(stderr);
}

void TerminalProgress::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (lastPermille_ >= 0) {
    std::fprintf(stderr, "\r%80s\r", "");
    std::fflush(stderr);
  }
  lastPermille_ = -1;
}

}  // namespace veldwacht::cli
