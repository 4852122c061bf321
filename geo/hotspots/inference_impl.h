// Template part of inference.h: the chunked TBB loop.
#pragma once

#include <algorithm>
#include <atomic>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace veldwacht::geo {

template <class Fn>
void parallelChunks(std::size_t n, std::size_t threads, ProgressStep& step, Fn&& fn) {
  if (n == 0) return;
  // Chunks of ~1/256 of the work: fine enough to balance two cores and to answer a cancel
  // quickly, coarse enough that scheduling costs nothing.
  const std::size_t chunk = n / 256 + 1;
  const std::size_t chunks = (n + chunk - 1) / chunk;
  std::atomic<std::size_t> done{0};
  auto body = [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      step.parent().checkCancelled();
      const std::size_t b = c * chunk;
      const std::size_t e = std::min(n, b + chunk);
      fn(b, e);
      const std::size_t now = done.fetch_add(e - b) + (e - b);
      step.tick(now, n);
    }
  };
  if (threads == 1) {
    body(tbb::blocked_range<std::size_t>(0, chunks, 1));
    return;
  }
  tbb::task_arena arena(threads == 0 ? tbb::task_arena::automatic : static_cast<int>(threads));
  arena.execute([&] { tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), body); });
}

}  // namespace veldwacht::geo
