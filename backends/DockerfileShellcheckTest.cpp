// Runs shellcheck over the shell text of every RUN of the representative
// Dockerfile, and Python over the model download program. shellcheck is a
// required test tool: without it this test fails rather than skips.
#include "backends/Backend.h"
#include "backends/ModelDownloadProgram.h"
#include "backends/TestPlans.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

// The shell text of each RUN, as BuildKit hands it to the SHELL: the
// continuations joined and the leading --mount flags dropped.
std::vector<std::string> runScripts(llvm::StringRef dockerfile) {
  llvm::SmallVector<llvm::StringRef, 128> lines;
  dockerfile.split(lines, '\n');
  std::vector<std::string> scripts;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].startswith("RUN "))
      continue;
    std::vector<llvm::StringRef> parts = {lines[i].drop_front(4)};
    while (parts.back().endswith(" \\")) {
      parts.back() = parts.back().drop_back(2);
      parts.push_back(lines[++i]);
    }
    std::string script;
    for (llvm::StringRef part : parts) {
      part = part.trim();
      if (script.empty() && part.startswith("--mount="))
        continue;
      script += (script.empty() ? "" : " ") + part.str();
    }
    scripts.push_back(script);
  }
  return scripts;
}

struct RunResult {
  int exitCode;
  std::string output;
};

RunResult runTool(llvm::StringRef program, llvm::ArrayRef<llvm::StringRef> args) {
  llvm::SmallString<128> outPath;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("imageplan-tool", "out", outPath));
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, llvm::StringRef(outPath),
                                                 llvm::StringRef(outPath)};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(program, args, llvm::None, redirects, 0, 0, &error);
  auto buffer = llvm::MemoryBuffer::getFile(outPath);
  llvm::sys::fs::remove(outPath);
  return {rc, error + (buffer ? (*buffer)->getBuffer().str() : std::string())};
}

std::string writeTemp(llvm::StringRef prefix, llvm::StringRef suffix, llvm::StringRef text) {
  llvm::SmallString<128> path;
  int fd;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile(prefix, suffix, fd, path));
  llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
  out << text;
  return path.str().str();
}

TEST(DockerfileShellcheckTest, EveryRunPassesShellcheck) {
  llvm::ErrorOr<std::string> shellcheck = llvm::sys::findProgramByName("shellcheck");
  ASSERT_TRUE(shellcheck) << "shellcheck is not on PATH; install it (Debian: apt-get install "
                             "shellcheck) to run the backend tests";

  std::string dockerfile = emitDockerfile(testing::representativePlan());
  std::string dockerfilePath = writeTemp("imageplan", "Dockerfile", dockerfile);
  std::vector<std::string> scripts = runScripts(dockerfile);
  ASSERT_EQ(6u, scripts.size()) << dockerfile;

  std::string script = "#!/bin/bash\n";
  for (const std::string &run : scripts)
    script += run + "\n";
  std::string scriptPath = writeTemp("imageplan-run", "sh", script);
  // SC2016 (info) asks whether '$f' was meant to expand. In the printf form
  // the lines are script text for a later bash: they must not expand here.
  RunResult result = runTool(*shellcheck, {*shellcheck, "--exclude=SC2016", scriptPath});
  EXPECT_EQ(0, result.exitCode) << result.output << "\nscript:\n" << script;
  llvm::sys::fs::remove(scriptPath);
  llvm::sys::fs::remove(dockerfilePath);
}

// The program is fixed text, so checking that it compiles once covers every
// generated Dockerfile. Python is optional on a developer machine.
TEST(DockerfileShellcheckTest, ModelDownloadProgramCompiles) {
  llvm::ErrorOr<std::string> python = llvm::sys::findProgramByName("python3");
  if (!python)
    GTEST_SKIP() << "python3 is not on PATH";
  std::string source;
  for (llvm::StringRef line : modelDownloadProgram())
    source += line.str() + "\n";
  std::string path = writeTemp("imageplan-model", "py", source);
  RunResult result = runTool(*python, {*python, "-m", "py_compile", path});
  EXPECT_EQ(0, result.exitCode) << result.output;
  llvm::sys::fs::remove(path);
}

} // namespace
} // namespace imageplan::backends
