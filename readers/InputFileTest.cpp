// Tests for readInputFile: only regular files, never blocking on a FIFO,
// never streaming a device, the size cap on the bytes actually read, files
// of the context that resolve outside it, and the messages for each.
#include "readers/InputFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace imageplan::readers {
namespace {

class InputFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-input", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return p.str().str();
  }
  void write(llvm::StringRef name, llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path(name), ec);
    ASSERT_FALSE(ec);
    os << text;
  }
  /// The error of reading `file`, or "" when it was read.
  std::string errorOf(llvm::StringRef file, InputLimit limit = limits::kSpec,
                      llvm::StringRef inside = {}) {
    auto buffer = readInputFile(file, limit, "", inside);
    return buffer ? "" : llvm::toString(buffer.takeError());
  }

  llvm::SmallString<256> dir;
};

TEST_F(InputFileTest, ReadsARegularFileNamedAsGiven) {
  write("spec.yaml", "name: x\n");
  auto buffer = readInputFile(path("spec.yaml"), limits::kSpec);
  ASSERT_TRUE(static_cast<bool>(buffer)) << llvm::toString(buffer.takeError());
  EXPECT_EQ((*buffer)->getBuffer(), "name: x\n");
  EXPECT_EQ((*buffer)->getBufferIdentifier(), path("spec.yaml"));
  auto named = readInputFile(path("spec.yaml"), limits::kSpec, "imageplan.yaml");
  ASSERT_TRUE(static_cast<bool>(named)) << llvm::toString(named.takeError());
  EXPECT_EQ((*named)->getBufferIdentifier(), "imageplan.yaml");
}

TEST_F(InputFileTest, RefusesAFifoWithoutWaitingForAWriter) {
  ASSERT_EQ(::mkfifo(path("f.yaml").c_str(), 0600), 0);
  EXPECT_EQ(errorOf(path("f.yaml")),
            "cannot read '" + path("f.yaml") + "': not a regular file (a FIFO)");
}

TEST_F(InputFileTest, RefusesDevicesAndDirectories) {
  EXPECT_EQ(errorOf("/dev/zero"), "cannot read '/dev/zero': not a regular file (a character "
                                  "device)");
  EXPECT_EQ(errorOf(dir), "cannot read '" + dir.str().str() + "': not a regular file (a "
                                                              "directory)");
  EXPECT_EQ(errorOf(path("missing.yaml")),
            "cannot read '" + path("missing.yaml") + "': No such file or directory");
}

TEST_F(InputFileTest, CapsTheSize) {
  write("big.yaml", std::string(1025, 'a'));
  InputLimit limit{1024, "a test file"};
  std::string message = errorOf(path("big.yaml"), limit);
  EXPECT_EQ(message, "cannot read '" + path("big.yaml") +
                         "': it is larger than the 1 KiB limit for a test file");
  auto buffer = readInputFile(path("big.yaml"), limit);
  ASSERT_FALSE(static_cast<bool>(buffer));
  EXPECT_TRUE(buffer.errorIsA<InputTooLarge>());
  llvm::consumeError(buffer.takeError());
  write("fits.yaml", std::string(1024, 'a'));
  EXPECT_EQ(errorOf(path("fits.yaml"), limit), "");
}

TEST_F(InputFileTest, CapsFilesThatReportNoSize) {
  // /proc files say they are empty; the limit holds on what is read.
  EXPECT_EQ(errorOf("/proc/self/maps", {16, "a test file"}),
            "cannot read '/proc/self/maps': it is larger than the 16 bytes limit for a test "
            "file");
}

TEST_F(InputFileTest, RefusesAContextFileThatLeavesTheContext) {
  llvm::SmallString<256> outside;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-outside", outside));
  llvm::SmallString<256> secret(outside);
  llvm::sys::path::append(secret, "id_rsa");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(secret, ec);
    os << "key\n";
  }
  ASSERT_FALSE(llvm::sys::fs::create_link(secret, path("pyproject.toml")));
  EXPECT_EQ(errorOf(path("pyproject.toml"), limits::kProjectFile, dir),
            "cannot read '" + path("pyproject.toml") +
                "': it is a symbolic link to a file outside the build context");
  // Without a context, the same link is followed.
  EXPECT_EQ(errorOf(path("pyproject.toml"), limits::kProjectFile), "");
  // A link inside the context is fine.
  write("real.toml", "x = 1\n");
  ASSERT_FALSE(llvm::sys::fs::create_link(path("real.toml"), path("link.toml")));
  EXPECT_EQ(errorOf(path("link.toml"), limits::kProjectFile, dir), "");
  llvm::sys::fs::remove_directories(outside);
}

TEST(InputSizeTest, DescribeAndParse) {
  EXPECT_EQ(describeSize(4u << 20), "4 MiB");
  EXPECT_EQ(describeSize(64 * 1024), "64 KiB");
  EXPECT_EQ(describeSize(1000), "1000 bytes");
  EXPECT_EQ(describeSize(1), "1 byte");
  EXPECT_EQ(parseSize("64M"), std::optional<uint64_t>(64u << 20));
  EXPECT_EQ(parseSize("512KiB"), std::optional<uint64_t>(512u << 10));
  EXPECT_EQ(parseSize("1G"), std::optional<uint64_t>(1u << 30));
  EXPECT_EQ(parseSize("123"), std::optional<uint64_t>(123));
  EXPECT_EQ(parseSize("0"), std::nullopt);
  EXPECT_EQ(parseSize("5G"), std::nullopt);
  EXPECT_EQ(parseSize("12X"), std::nullopt);
  EXPECT_EQ(parseSize("M"), std::nullopt);
  EXPECT_EQ(parseSize(""), std::nullopt);
  EXPECT_EQ(parseSize("99999999999999999999"), std::nullopt);
}

} // namespace
} // namespace imageplan::readers
