// Tests for atomic, write-if-changed output and depfile rendering.
#include "tools/Output.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <string>
#include <vector>

using namespace imageplan::driver;

namespace {

/// A fresh directory, removed with everything in it at the end of the test.
class ScratchDir {
public:
  ScratchDir() {
    std::error_code ec = llvm::sys::fs::createUniqueDirectory("imageplan-output-test", dir);
    EXPECT_FALSE(ec) << ec.message();
  }
  ~ScratchDir() { llvm::sys::fs::remove_directories(dir); }
  std::string path(llvm::StringRef name) const {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, name);
    return p.str().str();
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(names.begin(), names.end());
    return names;
  }

private:
  llvm::SmallString<128> dir;
};

std::string readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : "<unreadable>";
}

llvm::sys::TimePoint<> modificationTime(llvm::StringRef path) {
  llvm::sys::fs::file_status status;
  EXPECT_FALSE(llvm::sys::fs::status(path, status));
  return status.getLastModificationTime();
}

/// Moves a file's mtime far into the past so a rewrite is visible.
void ageFile(llvm::StringRef path) {
  int fd;
  ASSERT_FALSE(llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_OpenExisting,
                                               llvm::sys::fs::OF_Append));
  llvm::sys::TimePoint<> old = llvm::sys::toTimePoint(1000000000);
  EXPECT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(fd, old));
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
}

TEST(OutputTest, WritesNewFileAndLeavesNoTemporary) {
  ScratchDir dir;
  auto outcome = writeFileAtomically(dir.path("Dockerfile"), "FROM scratch\n", false);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(*outcome, WriteOutcome::Written);
  EXPECT_EQ(readFile(dir.path("Dockerfile")), "FROM scratch\n");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"Dockerfile"});
}

TEST(OutputTest, ReplacesExistingFile) {
  ScratchDir dir;
  ASSERT_TRUE(bool(writeFileAtomically(dir.path("f"), "old contents\n", false)));
  auto outcome = writeFileAtomically(dir.path("f"), "new\n", false);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(readFile(dir.path("f")), "new\n");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"f"});
}

TEST(OutputTest, WritesEmptyContents) {
  ScratchDir dir;
  ASSERT_TRUE(bool(writeFileAtomically(dir.path("empty"), "", false)));
  EXPECT_EQ(readFile(dir.path("empty")), "");
}

TEST(OutputTest, WriteIfChangedKeepsIdenticalFileUntouched) {
  ScratchDir dir;
  std::string path = dir.path("Dockerfile");
  ASSERT_TRUE(bool(writeFileAtomically(path, "same\n", false)));
  ageFile(path);
  auto before = modificationTime(path);

  auto outcome = writeFileAtomically(path, "same\n", /*onlyIfChanged=*/true);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(*outcome, WriteOutcome::Unchanged);
  EXPECT_EQ(modificationTime(path), before);
}

TEST(OutputTest, WriteIfChangedRewritesDifferentFile) {
  ScratchDir dir;
  std::string path = dir.path("Dockerfile");
  ASSERT_TRUE(bool(writeFileAtomically(path, "same\n", false)));
  ageFile(path);
  auto before = modificationTime(path);

  auto outcome = writeFileAtomically(path, "same\nmore\n", /*onlyIfChanged=*/true);
  ASSERT_TRUE(bool(outcome)) << llvm::toString(outcome.takeError());
  EXPECT_EQ(*outcome, WriteOutcome::Written);
  EXPECT_EQ(readFile(path), "same\nmore\n");
  EXPECT_NE(modificationTime(path), before);
}

TEST(OutputTest, WithoutWriteIfChangedAlwaysRewrites) {
  ScratchDir dir;
  std::string path = dir.path("Dockerfile");
  ASSERT_TRUE(bool(writeFileAtomically(path, "same\n", false)));
  ageFile(path);
  auto before = modificationTime(path);
  auto outcome = writeFileAtomically(path, "same\n", false);
  ASSERT_TRUE(bool(outcome));
  EXPECT_EQ(*outcome, WriteOutcome::Written);
  EXPECT_NE(modificationTime(path), before);
}

TEST(OutputTest, MissingDirectoryIsAnErrorAndWritesNothing) {
  ScratchDir dir;
  std::string path = dir.path("missing/Dockerfile");
  auto outcome = writeFileAtomically(path, "FROM scratch\n", false);
  ASSERT_FALSE(bool(outcome));
  EXPECT_EQ(llvm::toString(outcome.takeError()),
            "cannot write '" + path + "': No such file or directory");
  EXPECT_TRUE(dir.entries().empty());
}

TEST(OutputTest, TargetThatIsADirectoryIsAnErrorAndLeavesNoTemporary) {
  ScratchDir dir;
  ASSERT_FALSE(llvm::sys::fs::create_directory(dir.path("out")));
  auto outcome = writeFileAtomically(dir.path("out"), "x\n", false);
  ASSERT_FALSE(bool(outcome));
  std::string message = llvm::toString(outcome.takeError());
  EXPECT_EQ(message.rfind("cannot write '" + dir.path("out") + "': ", 0), 0u) << message;
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out"});
}

TEST(OutputTest, WritesSeveralFiles) {
  ScratchDir dir;
  std::vector<FileWrite> files{{dir.path("Dockerfile"), "FROM scratch\n"},
                               {dir.path(".dockerignore"), "*\n"}};
  auto outcomes = writeFilesAtomically(files, false);
  ASSERT_TRUE(bool(outcomes)) << llvm::toString(outcomes.takeError());
  EXPECT_EQ(*outcomes, (std::vector<WriteOutcome>{WriteOutcome::Written, WriteOutcome::Written}));
  EXPECT_EQ(readFile(dir.path("Dockerfile")), "FROM scratch\n");
  EXPECT_EQ(readFile(dir.path(".dockerignore")), "*\n");
}

TEST(OutputTest, OneUnwritableFileLeavesEveryTargetUntouched) {
  ScratchDir dir;
  ASSERT_TRUE(bool(writeFileAtomically(dir.path("Dockerfile"), "old\n", false)));
  std::vector<FileWrite> files{{dir.path("Dockerfile"), "new\n"},
                               {dir.path("missing/deps.d"), "Dockerfile: spec\n"}};
  auto outcomes = writeFilesAtomically(files, false);
  ASSERT_FALSE(bool(outcomes));
  EXPECT_EQ(llvm::toString(outcomes.takeError()),
            "cannot write '" + dir.path("missing/deps.d") + "': No such file or directory");
  EXPECT_EQ(readFile(dir.path("Dockerfile")), "old\n");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"Dockerfile"});
}

TEST(OutputTest, WriteIfChangedReportsEachFile) {
  ScratchDir dir;
  ASSERT_TRUE(bool(writeFileAtomically(dir.path("same"), "same\n", false)));
  ASSERT_TRUE(bool(writeFileAtomically(dir.path("changed"), "before\n", false)));
  std::vector<FileWrite> files{{dir.path("same"), "same\n"}, {dir.path("changed"), "after\n"}};
  auto outcomes = writeFilesAtomically(files, /*onlyIfChanged=*/true);
  ASSERT_TRUE(bool(outcomes)) << llvm::toString(outcomes.takeError());
  EXPECT_EQ(*outcomes,
            (std::vector<WriteOutcome>{WriteOutcome::Unchanged, WriteOutcome::Written}));
  EXPECT_EQ(readFile(dir.path("changed")), "after\n");
}

TEST(OutputTest, EscapesDepfilePaths) {
  EXPECT_EQ(escapeDepfilePath("plain/path.yaml"), "plain/path.yaml");
  EXPECT_EQ(escapeDepfilePath("my dir/spec file.yaml"), "my\\ dir/spec\\ file.yaml");
  EXPECT_EQ(escapeDepfilePath("a#b"), "a\\#b");
  EXPECT_EQ(escapeDepfilePath("cost$1"), "cost$$1");
}

TEST(OutputTest, RendersDepfile) {
  EXPECT_EQ(renderDepfile("out/Dockerfile", {"imageplan.yaml", "./requirements.txt"}),
            "out/Dockerfile: imageplan.yaml ./requirements.txt\n");
  EXPECT_EQ(renderDepfile("out dir/Dockerfile", {"my spec.yaml"}),
            "out\\ dir/Dockerfile: my\\ spec.yaml\n");
  EXPECT_EQ(renderDepfile("Dockerfile", {}), "Dockerfile:\n");
}

} // namespace
