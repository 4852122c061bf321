// Where `veldwacht demo` finds the sample region, found at run time (no source-tree path is
// compiled in): the installed share/ folder next to the binary (<prefix>/bin/../share/…), the
// configured install prefix, then — for a binary run from a build folder — the first parent
// folder of the binary that holds sample-data/eemsdelta.
#pragma once

#include <filesystem>
#include <vector>

namespace veldwacht::cli {

inline std::filesystem::path executableDirectory() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

/// Candidate folders for the sample region, in order (see above).
inline std::vector<std::filesystem::path> sampleDataCandidates() {
  namespace fs = std::filesystem;
  std::vector<fs::path> c;
  const fs::path exeDir = executableDirectory();
  if (!exeDir.empty()) c.push_back(exeDir.parent_path() / "share/veldwacht/sample-data/eemsdelta");
  c.emplace_back(fs::path(VELDWACHT_INSTALL_PREFIX) / "share/veldwacht/sample-data/eemsdelta");
  for (fs::path p = exeDir; !p.empty() && p != p.root_path(); p = p.parent_path())
    if (fs::exists(p / "sample-data/eemsdelta/signalen.csv")) {
      c.push_back(p / "sample-data/eemsdelta");
      break;
    }
  return c;
}

}  // namespace veldwacht::cli
