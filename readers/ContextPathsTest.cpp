// Tests for ContextPaths: where COPY from the context and bind mounts put
// context files, as a stage's instructions run.
#include "readers/ContextPaths.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using Paths = std::vector<std::string>;

/// The paths of the last stage of `body` after every instruction but a
/// final RUN, whose mounts are added.
ContextPaths pathsOf(llvm::StringRef body) {
  testing::CapturedDiagnostics diags;
  std::string text = "FROM debian\n" + body.str() + "\n";
  llvm::Expected<Dockerfile> file =
      parseDockerfile(diags.engine(), diags.engine().addBuffer(text, "Dockerfile"));
  if (!file) {
    llvm::consumeError(file.takeError());
    ADD_FAILURE() << diags.output();
    return {};
  }
  ContextPaths paths;
  for (const DockerfileInstruction &inst : file->stages.back().instructions)
    paths = inst.keyword == "RUN" ? paths.withMounts(inst) : (paths.apply(inst), paths);
  return paths;
}

TEST(ContextPathsTest, WorkdirsResolveAsDockerResolvesThem) {
  ContextPaths paths = pathsOf("WORKDIR /srv\nWORKDIR app/./x/..");
  EXPECT_EQ(paths.workdir, "/srv/app");
  EXPECT_EQ(paths.absolute("a/../b"), "/srv/app/b");
  EXPECT_EQ(paths.absolute("/opt//tool/"), "/opt/tool");
  EXPECT_EQ(cleanContextPath("./app/"), "app");
  EXPECT_EQ(cleanContextPath(""), ".");
}

TEST(ContextPathsTest, CopiesMapImagePathsBackToTheContext) {
  ContextPaths paths = pathsOf("WORKDIR /app\n"
                               "COPY . .\n"
                               "COPY src/ /opt/src/\n"
                               "COPY Makefile tools/setup.sh /opt/bin/\n"
                               "COPY conf /etc/conf\n"
                               "COPY *.txt /tmp/\n");
  EXPECT_EQ(paths.candidates("Makefile"), (Paths{"Makefile"})) << "the context's root in /app";
  EXPECT_EQ(paths.candidates("/opt/src/main.py"), (Paths{"src/main.py"}));
  EXPECT_EQ(paths.candidates("/opt/bin/setup.sh"),
            (Paths{"tools/setup.sh/setup.sh", "tools/setup.sh", "Makefile/setup.sh"}))
      << "a file copied into a folder lands under its name; the last copy first";
  EXPECT_EQ(paths.candidates("/etc/conf/a.yaml"), (Paths{"conf/a.yaml"}));
  EXPECT_EQ(paths.candidates("/tmp/req.txt"), Paths{}) << "globs are not followed";
}

TEST(ContextPathsTest, ARunSeesItsBindMounts) {
  ContextPaths paths = pathsOf("WORKDIR /app\n"
                               "RUN --mount=type=bind,source=scripts,target=/s "
                               "--mount=type=cache,target=/root/.cache sh /s/x.sh");
  EXPECT_EQ(paths.candidates("/s/x.sh"), (Paths{"scripts/x.sh"}));
  EXPECT_EQ(paths.candidates("/root/.cache/a"), Paths{});
}

} // namespace
} // namespace imageplan::readers
