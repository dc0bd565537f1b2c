// Tests for the sanity checks of checkSpec (Sanity.h): system directories as
// workdirs, owned directories and copy destinations, and image references
// that name a stage of the plan.
#include "dsl/Parser.h"

#include "dsl/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

/// The first line of each diagnostic checkSpec prints for `body`.
std::string messages(llvm::StringRef body) {
  testing::CapturedDiagnostics c;
  std::optional<Spec> spec = c.parse("imageplan: 1\nname: x\nbase: {image: python}\n" + body.str());
  EXPECT_TRUE(spec) << c.output();
  if (!spec)
    return c.output();
  llvm::consumeError(checkSpec(c.engine(), *spec, "", nullptr));
  std::string out;
  llvm::StringRef rest = c.output();
  while (!rest.empty()) {
    auto [line, next] = rest.split('\n');
    if (line.contains(": error: ") || line.contains(": warning: "))
      out += line.split(": error: ").second.str() + line.split(": warning: ").second.str() + "\n";
    rest = next;
  }
  return out;
}

TEST(SanityTest, SystemDirectoriesAreNotTheAppsToOwn) {
  EXPECT_EQ(messages("app: {workdir: /}\n"),
            "workdir '/' is a system directory; the app's code would be copied into it: use a "
            "directory of its own, such as /app or /var/lib/app\n");
  EXPECT_EQ(messages("app: {dirs: [/etc, /usr/local/bin/, data, /var/lib/app]}\n"),
            "'dirs' entry '/etc' is a system directory; imageplan would make it owned by the "
            "app user: use a directory of its own, such as /app or /var/lib/app\n"
            "'dirs' entry '/usr/local/bin/' is a system directory; imageplan would make it "
            "owned by the app user: use a directory of its own, such as /app or /var/lib/app\n");
  EXPECT_EQ(messages("app: {workdir: /srv/app, dirs: [/proc/x]}\n"),
            "'dirs' entry '/proc/x' is inside a kernel file system (/proc, /sys, /dev), which a "
            "build cannot write\n");
  EXPECT_EQ(messages("app: {workdir: /usr/./bin}\n"),
            "workdir '/usr/./bin' is a system directory; the app's code would be copied into "
            "it: use a directory of its own, such as /app or /var/lib/app\n");
  EXPECT_EQ(messages("app: {workdir: /var, dirs: [lib, data]}\n"),
            "workdir '/var' is a system directory; the app's code would be copied into it: use "
            "a directory of its own, such as /app or /var/lib/app\n"
            "'dirs' entry 'lib' (/var/lib) is a system directory; imageplan would make it "
            "owned by the app user: use a directory of its own, such as /app or /var/lib/app\n");
}

TEST(SanityTest, CopyDestinations) {
  EXPECT_EQ(messages("app: {}\nartifacts:\n  - {image: ffmpeg:6, from: /ffmpeg, to: /usr/bin}\n"
                     "  - {image: ffmpeg:6, from: /ffprobe, to: /usr/local/bin/ffprobe}\n"
                     "files:\n  - {path: /etc, content: x}\n  - {path: /etc/app.conf, "
                     "content: x}\n"),
            "file path '/etc' is a system directory; copying there would replace part of the "
            "base image: name a path of its own, such as /usr/local/bin/tool or /opt/data\n"
            "artifact destination '/usr/bin' is a system directory; copying there would replace "
            "part of the base image: name a path of its own, such as /usr/local/bin/tool or "
            "/opt/data\n");
}

TEST(SanityTest, ImageReferencesNameImagesNotStages) {
  EXPECT_EQ(messages("app: {}\nartifacts:\n  - {image: builder, from: /a, to: /opt/a}\n"
                     "  - {image: runtime, from: /a, to: /opt/b}\n"
                     "  - {image: web, from: /a, to: /opt/c}\n"
                     "stages:\n  - {name: web, image: node:20}\n"),
            "artifact image 'builder' names imageplan's own stage 'builder', not an image; "
            "artifacts are copied from other images; to copy from a custom stage, use its "
            "'exports'\n"
            "artifact image 'runtime' names imageplan's own stage 'runtime', not an image; "
            "artifacts are copied from other images; to copy from a custom stage, use its "
            "'exports'\n"
            "artifact image 'web' names the stage 'web' of this spec, not an image; "
            "artifacts are copied from other images; to copy from a custom stage, use its "
            "'exports'\n");
}

} // namespace
} // namespace imageplan::dsl
