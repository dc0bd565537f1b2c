// Tests for the warning about files that look like secrets in copied folders
// of the build context (ContextSecrets.h), over a context made on disk.
#include "dsl/Parser.h"

#include "dsl/TestSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace imageplan::dsl {
namespace {

class ContextSecretsTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-context", dir));
    for (const char *file : {"app/main.py", "app/.env", "app/certs/server.pem", "deploy/id_rsa",
                             ".ssh/config", ".git/HEAD", "docs/secret.key", "README.md"})
      write(file);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << "x\n";
  }

  /// What checkSpec prints for `app`, checked against the context on disk.
  std::string warnings(llvm::StringRef app) {
    testing::CapturedDiagnostics c;
    std::optional<Spec> spec =
        c.parse("imageplan: 1\nname: x\nbase: {image: python}\napp: " + app.str() + "\n");
    EXPECT_TRUE(spec) << c.output();
    if (!spec)
      return c.output();
    llvm::consumeError(checkSpec(c.engine(), *spec, dir, nullptr));
    return c.output();
  }

  llvm::SmallString<256> dir;
};

TEST_F(ContextSecretsTest, WarnsOncePerCopiedFolderNamingTheFiles) {
  EXPECT_EQ(warnings("{copy: [.]}"),
            "imageplan.yaml:4:14: warning: 'copy' entry '.' holds files that look like "
            "secrets: '.ssh', 'app/.env', 'app/certs/server.pem', 'deploy/id_rsa', "
            "'docs/secret.key'; the generated .dockerignore leaves them out of the image (name "
            "one in 'copy' to copy it)\n"
            "app: {copy: [.]}\n"
            "             ^\n");
}

TEST_F(ContextSecretsTest, NamedAndExcludedFilesAreNoSurprise) {
  EXPECT_EQ(warnings("{copy: [app/, app/.env]}"),
            "imageplan.yaml:4:14: warning: 'copy' entry 'app/' holds files that look like "
            "secrets: 'app/certs/server.pem'; the generated .dockerignore leaves them out of the "
            "image (name one in 'copy' to copy it)\n"
            "app: {copy: [app/, app/.env]}\n"
            "             ^\n");
  EXPECT_EQ(warnings("{copy: [app/main.py, README.md]}"), "");
  EXPECT_EQ(warnings("{copy: [.], exclude: [app/, deploy/, docs/, .ssh/]}"), "");
}

} // namespace
} // namespace imageplan::dsl
