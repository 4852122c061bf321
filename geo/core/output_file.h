// Files that Veldwacht writes next to the store (a density GeoTIFF, its .qml sidecar): never over
// a file that Veldwacht did not write, never through a symbolic link, and never half-written.
// The content goes to a temporary file in the same folder ("<path>.tmp-XXXXXX", created with
// O_EXCL so nothing existing is reused), is synced, and is renamed over the target only on
// commit(); a destroyed OutputFile that was not committed (an error, a cancel) removes its
// temporary file. rename(2) within one folder is atomic: readers see the old file or the new one.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace veldwacht::geo {

struct OutputFileOptions {
  /// Replace an existing regular file even if Veldwacht did not write it (--overwrite). A
  /// symbolic link or a non-regular file is refused all the same.
  bool overwrite = false;
  /// Asked for an existing target: true when it is a result Veldwacht wrote (e.g. registered in
  /// the store's veldwacht_resultaten), which may be replaced. Unset = nothing is ours.
  std::function<bool(const std::string& path)> isOwnResult;
};

class OutputFile {
 public:
  /// Checks the target and creates the temporary file. Throws geo::InputError naming `path`
  /// when the target is a symbolic link, not a regular file, or an existing file that is not
  /// ours (without `overwrite`); geo::LibraryError when the temporary file cannot be made.
  OutputFile(std::string path, const OutputFileOptions& options = {});
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& path() const { return path_; }
  /// Where to write the content (exists, empty, in the target's folder).
  const std::string& tempPath() const { return temp_; }
  /// Writes `bytes` to the temporary file (replacing what it holds).
  void write(std::string_view bytes);
  /// Syncs the temporary file, checks the target once more (no symlink has appeared) and
  /// renames it over the target, then syncs the folder. Throws geo::LibraryError / InputError;
  /// the temporary file is then removed.
  void commit();
  bool committed() const { return committed_; }

 private:
  std::string path_;
  std::string temp_;
  OutputFileOptions options_;
  bool committed_ = false;
};

/// Throws geo::InputError unless `path` may be written under `options` (see OutputFile).
void checkOutputTarget(const std::string& path, const OutputFileOptions& options);

}  // namespace veldwacht::geo
