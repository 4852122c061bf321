// The peak memory of some work, measured in a child process of its own (fork): the parent's
// memory does not count, and the child's peak RSS comes back with wait4. For the memory-bound
// tests (label import_memory), which do not run under the sanitizers.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <functional>

namespace veldwacht::testing {

/// Runs `work` in a child process and returns the child's peak RSS in MiB, or -1 when `work`
/// returned false or threw (its what() printed on stderr), or the child did not exit normally.
inline double peakMiBOfChild(const std::function<bool()>& work) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 1;
    try {
      rc = work() ? 0 : 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "the measured work failed: %s\n", e.what());
      rc = 3;
    } catch (...) {
      rc = 3;
    }
    _exit(rc);
  }
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return double(ru.ru_maxrss) / 1024.0;
}

}  // namespace veldwacht::testing
