// OutputFile: a new file appears whole; a user's file and a symlink are refused and left as they
// are; our own earlier result is replaced; a failure or a cancel leaves no temporary file.
#include "geo/core/output_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

namespace veldwacht::geo {
namespace {

namespace fs = std::filesystem;

class OutputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("veldwacht-output-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static void put(const std::string& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }
  /// Names in the folder, to show that no temporary file stays behind.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  fs::path dir_;
};

TEST_F(OutputFileTest, ANewFileAppearsOnlyOnCommit) {
  OutputFile out(file("a.tif"));
  out.write("content");
  EXPECT_FALSE(fs::exists(file("a.tif")));
  EXPECT_EQ(fs::path(out.tempPath()).parent_path(), dir_);
  EXPECT_EQ(slurp(out.tempPath()), "content");
  out.commit();
  EXPECT_EQ(slurp(file("a.tif")), "content");
  EXPECT_EQ(names(), std::vector<std::string>{"a.tif"});
}

TEST_F(OutputFileTest, TheFileGetsTheModeOfANewFileNotTheTemporaryFiles0600) {
  const mode_t before = ::umask(022);
  {
    OutputFile out(file("a.tif"));
    out.write("content");
    out.commit();
  }
  ::umask(077);
  {
    OutputFile out(file("b.tif"));
    out.write("content");
    out.commit();
  }
  ::umask(before);
  EXPECT_EQ(fs::status(file("a.tif")).permissions(),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
  EXPECT_EQ(fs::status(file("b.tif")).permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(OutputFileTest, AnExistingUserFileIsRefusedWithItsPathAndKept) {
  put(file("regio_dichtheid.tif"), "user data");
  try {
    OutputFile out(file("regio_dichtheid.tif"));
    FAIL() << "an existing file was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, file("regio_dichtheid.tif"));
    EXPECT_NE(std::string(e.what()).find("was not written by Veldwacht"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos);
  }
  EXPECT_EQ(slurp(file("regio_dichtheid.tif")), "user data");
  EXPECT_EQ(names(), std::vector<std::string>{"regio_dichtheid.tif"});
}

TEST_F(OutputFileTest, OurOwnResultOrOverwriteIsReplaced) {
  put(file("own.tif"), "old");
  OutputFileOptions own;
  own.isOwnResult = [&](const std::string& p) { return p == file("own.tif"); };
  {
    OutputFile out(file("own.tif"), own);
    out.write("new");
    out.commit();
  }
  EXPECT_EQ(slurp(file("own.tif")), "new");
  put(file("user.tif"), "old");
  EXPECT_THROW_WITH(OutputFile(file("user.tif"), own), InputError,
                    "user.tif: the file exists and was not written by Veldwacht");
  OutputFileOptions overwrite;
  overwrite.overwrite = true;
  OutputFile out(file("user.tif"), overwrite);
  out.write("replaced");
  out.commit();
  EXPECT_EQ(slurp(file("user.tif")), "replaced");
}

TEST_F(OutputFileTest, ASymlinkIsRefusedEvenWithOverwriteAndItsTargetIsUntouched) {
  put(file("target.txt"), "precious");
  fs::create_symlink(file("target.txt"), file("link.tif"));
  OutputFileOptions o;
  o.overwrite = true;
  o.isOwnResult = [](const std::string&) { return true; };
  try {
    OutputFile out(file("link.tif"), o);
    FAIL() << "a symlink was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("symbolic link"), std::string::npos) << e.what();
  }
  // A dangling link too (it would create the file it points to).
  fs::create_symlink(file("nowhere.txt"), file("dangling.tif"));
  EXPECT_THROW_WITH(OutputFile(file("dangling.tif"), o), InputError,
                    "dangling.tif: the output file is a symbolic link");
  EXPECT_EQ(slurp(file("target.txt")), "precious");
  EXPECT_FALSE(fs::exists(file("nowhere.txt")));
}

TEST_F(OutputFileTest, ALinkThatAppearsBeforeCommitIsRefused) {
  put(file("target.txt"), "precious");
  OutputFile out(file("late.tif"));
  out.write("new");
  fs::create_symlink(file("target.txt"), file("late.tif"));
  EXPECT_THROW_WITH(out.commit(), InputError, "late.tif: the output file is a symbolic link");
  EXPECT_EQ(slurp(file("target.txt")), "precious");
}

TEST_F(OutputFileTest, AFailureOrCancelBeforeCommitLeavesNoTemporaryFile) {
  put(file("own.tif"), "old");
  OutputFileOptions own;
  own.isOwnResult = [](const std::string&) { return true; };
  try {
    OutputFile out(file("own.tif"), own);
    out.write("half");
    throw CancelledError();  // as a cancelled writer would
  } catch (const CancelledError&) {
  }
  EXPECT_EQ(slurp(file("own.tif")), "old");
  EXPECT_EQ(names(), std::vector<std::string>{"own.tif"});
}

TEST_F(OutputFileTest, ADirectoryOrAMissingFolderIsRefused) {
  fs::create_directories(file("sub.tif"));
  EXPECT_THROW_WITH(OutputFile(file("sub.tif"), {true, {}}), InputError,
                    "sub.tif: the output path exists and is not a regular file");
  EXPECT_THROW_WITH(OutputFile(file("no/such/folder.tif")), LibraryError,
                    "cannot create a temporary file next to '" + file("no/such/folder.tif"));
}

}  // namespace
}  // namespace veldwacht::geo
