// Files that Veldwacht writes next to the store (a density GeoTIFF, its .qml sidecar): never over
// a file that Veldwacht did not write, never through a symbolic link, and never half-written.
// The content goes to a temporary file in the same folder ("<path>.tmp-<pid>-XXXXXX", created
// with O_EXCL so nothing existing is reused), is synced, and is renamed over the target only on
// commit(); a destroyed OutputFile that was not committed (an error, a cancel) removes its
// temporary file unless keepTemporary() was called. rename(2) within one folder is atomic:
// readers see the old file or the new one. A process killed before commit() leaves its
// temporary file; removeStaleTemporaries() removes those of processes that no longer run.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

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
  /// Syncs the temporary file and the folder (so that its name survives a crash) and checks
  /// the target once more; commit() then only renames. For a move recorded elsewhere (a
  /// store's transaction) before it is done.
  void prepareCommit();
  /// From now on the destructor leaves the temporary file (its move is recorded, e.g. in a
  /// committed transaction, and is finished by whoever reads that record: finishMove).
  void keepTemporary() { keep_ = true; }
  /// Syncs the temporary file (unless prepareCommit() did), checks the target once more (no
  /// symlink has appeared) and renames it over the target, then syncs the folder. Throws
  /// geo::LibraryError / InputError; the temporary file is then removed (unless kept).
  void commit();
  bool committed() const { return committed_; }

 private:
  std::string path_;
  std::string temp_;
  OutputFileOptions options_;
  bool committed_ = false;
  bool prepared_ = false;
  bool keep_ = false;
};

/// Finishes a recorded move of a temporary file (OutputFile::tempPath) over `path`: returns false
/// when `temporary` is gone (the move was done already), true when it was moved now. Refuses
/// (geo::InputError naming `path`) a target that is a symbolic link or not a regular file; the
/// temporary file is then left as it is.
bool finishMove(const std::string& temporary, const std::string& path);

/// Removes the temporary files of `path` ("<path>.tmp-<pid>-XXXXXX") left by processes that no
/// longer run (killed before their commit), except those named in `keep`. A file of a running
/// process (this one included) is never touched. Returns how many were removed.
std::size_t removeStaleTemporaries(const std::string& path,
                                   const std::vector<std::string>& keep = {});

/// Throws geo::InputError unless `path` may be written under `options` (see OutputFile).
void checkOutputTarget(const std::string& path, const OutputFileOptions& options);

}  // namespace veldwacht::geo
