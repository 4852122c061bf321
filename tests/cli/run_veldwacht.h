// Runs the `veldwacht` binary as a user would, for the CLI tests: its exit code, stdout and
// stderr. VELDWACHT_EXE is set per test target in tests/cli/CMakeLists.txt.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace veldwacht::layers::testing {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs `veldwacht <args>` (args are passed to the shell as written); stdout and stderr go to
/// files in `dir` (any of the tests' temporary folders: it has `path()`).
template <class Dir>
Outcome runVeldwacht(const Dir& dir, const std::string& args) {
  const auto out = dir.path() / "stdout.txt", err = dir.path() / "stderr.txt";
  const std::string cmd = std::string("'") + VELDWACHT_EXE + "' " + args + " > '" + out.string() +
                          "' 2> '" + err.string() + "'";
  const int status = std::system(cmd.c_str());
  Outcome r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace veldwacht::layers::testing
