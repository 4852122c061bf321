#include "geo/core/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "geo/core/error.h"

namespace veldwacht::geo {

namespace {

std::string errnoText(int e) { return std::strerror(e); }

/// Syncs a file or folder by path; best effort for folders (some filesystems refuse).
bool syncPath(const std::string& p, bool directory) {
  const int fd = ::open(p.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return directory;
  const bool ok = ::fsync(fd) == 0 || directory;
  ::close(fd);
  return ok;
}

std::string folderOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

void checkOutputTarget(const std::string& path, const OutputFileOptions& options) {
  const Location where{path, std::nullopt, ""};
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;  // a new file
    throw InputError(where, "cannot examine the output file: " + errnoText(errno));
  }
  if (S_ISLNK(st.st_mode))
    throw InputError(where,
                     "the output file is a symbolic link; Veldwacht does not write through links "
                     "— remove the link or choose another output name");
  if (!S_ISREG(st.st_mode))
    throw InputError(where, "the output path exists and is not a regular file");
  if (options.overwrite) return;
  if (options.isOwnResult && options.isOwnResult(path)) return;
  throw InputError(where,
                   "the file exists and was not written by Veldwacht (it is not a registered "
                   "result of this store); it was left as it is — choose another output name, "
                   "remove the file, or give --overwrite");
}

OutputFile::OutputFile(std::string path, const OutputFileOptions& options)
    : path_(std::move(path)), options_(options) {
  checkOutputTarget(path_, options_);
  // The process id in the name tells removeStaleTemporaries whose file it is.
  std::string pattern = path_ + ".tmp-" + std::to_string(::getpid()) + "-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const int fd = ::mkostemp(buf.data(), O_CLOEXEC);  // O_CREAT | O_EXCL: never an existing file
  if (fd < 0)
    throw LibraryError("cannot create a temporary file next to '" + path_ +
                       "': " + errnoText(errno));
  // mkostemp makes the file 0600; a result gets the mode any new file gets here (0666 less the
  // umask), as if GDAL had created it: a GeoTIFF shared with QGIS or a colleague must be readable.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) {
    const int err = errno;
    ::close(fd);
    ::unlink(buf.data());
    throw LibraryError("cannot set the permissions of '" + std::string(buf.data()) +
                       "': " + errnoText(err));
  }
  ::close(fd);
  temp_.assign(buf.data());
}

OutputFile::~OutputFile() {
  if (!committed_ && !keep_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void OutputFile::write(std::string_view bytes) {
  const int fd = ::open(temp_.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw LibraryError("cannot open '" + temp_ + "': " + errnoText(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      throw LibraryError("cannot write '" + temp_ + "': " + errnoText(e));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw LibraryError("cannot write '" + temp_ + "': " + errnoText(errno));
}

void OutputFile::prepareCommit() {
  struct stat st {};
  if (::lstat(temp_.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw LibraryError("the temporary file '" + temp_ + "' is gone or was replaced");
  if (!syncPath(temp_, false))
    throw LibraryError("cannot sync '" + temp_ + "' to disk: " + errnoText(errno));
  if (!syncPath(folderOf(temp_), true))
    throw LibraryError("cannot sync the folder of '" + temp_ + "' to disk: " + errnoText(errno));
  checkOutputTarget(path_, options_);
  prepared_ = true;
}

void OutputFile::commit() {
  if (committed_) return;
  struct stat st {};
  if (::lstat(temp_.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    throw LibraryError("the temporary file '" + temp_ + "' is gone or was replaced");
  if (!prepared_ && !syncPath(temp_, false))
    throw LibraryError("cannot sync '" + temp_ + "' to disk: " + errnoText(errno));
  checkOutputTarget(path_, options_);  // nothing has changed since the start (e.g. a new link)
  // rename() replaces a symlink itself rather than following it, so even a link created just
  // now is not written through.
  if (::rename(temp_.c_str(), path_.c_str()) != 0)
    throw LibraryError("cannot move '" + temp_ + "' to '" + path_ + "': " + errnoText(errno));
  committed_ = true;
  syncPath(folderOf(path_), true);
}

bool finishMove(const std::string& temporary, const std::string& path) {
  struct stat st {};
  if (::lstat(temporary.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    throw LibraryError("cannot examine '" + temporary + "': " + errnoText(errno));
  }
  if (!S_ISREG(st.st_mode))
    throw LibraryError("the temporary file '" + temporary + "' is not a regular file");
  const Location where{path, std::nullopt, ""};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode))
      throw InputError(where,
                       "the output file became a symbolic link; Veldwacht does not write through "
                       "links — remove the link; the new file waits as '" +
                           temporary + "'");
    if (!S_ISREG(st.st_mode))
      throw InputError(where, "the output path exists and is not a regular file");
  } else if (errno != ENOENT) {
    throw InputError(where, "cannot examine the output file: " + errnoText(errno));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    if (errno == ENOENT) return false;  // another process finished the same move just now
    throw LibraryError("cannot move '" + temporary + "' to '" + path + "': " + errnoText(errno));
  }
  syncPath(folderOf(path), true);
  return true;
}

std::size_t removeStaleTemporaries(const std::string& path, const std::vector<std::string>& keep) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp-";
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  if (ec) return 0;
  std::vector<fs::path> stale;
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    // "<pid>-XXXXXX": files of other patterns (or of older versions, without a pid) are left.
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || dash > 9 || rest.size() != dash + 7) continue;
    if (rest.find_first_not_of("0123456789") != dash) continue;
    const long pid = std::stol(rest.substr(0, dash));
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // still running
    bool kept = false;
    for (const auto& k : keep) kept = kept || fs::path(k) == entry.path();
    if (!kept) stale.push_back(entry.path());
  }
  std::size_t removed = 0;
  for (const auto& p : stale) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::unlink(p.c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace veldwacht::geo
