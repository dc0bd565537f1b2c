// The embedded download program: what the Dockerfile may carry of it.
#include "backends/ModelDownloadProgram.h"

#include <gtest/gtest.h>

namespace imageplan::backends {
namespace {

TEST(ModelDownloadProgramTest, LinesAreCodeWithoutSingleQuotes) {
  llvm::ArrayRef<llvm::StringRef> lines = modelDownloadProgram();
  ASSERT_GT(lines.size(), 50u);
  EXPECT_EQ(lines.front(), "import fnmatch");
  for (llvm::StringRef line : lines) {
    EXPECT_FALSE(line.contains('\'')) << line.str();
    EXPECT_FALSE(line.ltrim().startswith("#")) << line.str();
    EXPECT_FALSE(line.trim().empty());
    EXPECT_FALSE(line.endswith(" ")) << line.str();
  }
}

TEST(ModelDownloadProgramTest, UsesHuggingfaceHubAndVerifies) {
  std::string text;
  for (llvm::StringRef line : modelDownloadProgram())
    text += line.str() + "\n";
  EXPECT_NE(text.find("from huggingface_hub import snapshot_download"), std::string::npos);
  EXPECT_NE(text.find("?blobs=true"), std::string::npos);
  EXPECT_NE(text.find("hashlib.sha256()"), std::string::npos);
  EXPECT_NE(text.find("add_unredirected_header(\"Authorization\""), std::string::npos);
}

} // namespace
} // namespace imageplan::backends
