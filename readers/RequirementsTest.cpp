// Tests for parseRequirements: names in PEP 503 form, specifiers, extras,
// markers, the URL and path forms, options and includes, continuations,
// comments, hashes, line numbers, and the exact text of each error.
#include "readers/Requirements.h"

#include "readers/ReaderTestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using Strings = std::vector<std::string>;

class RequirementsTest : public testing::ReaderTest<RequirementsFile, parseRequirements> {
protected:
  RequirementsTest() : ReaderTest("requirements.txt") {}
};

TEST(NormalizedPackageName, Pep503) {
  EXPECT_EQ(normalizedPackageName("Friendly-Bard"), "friendly-bard");
  EXPECT_EQ(normalizedPackageName("FRIENDLY__bard"), "friendly-bard");
  EXPECT_EQ(normalizedPackageName("friendly.-_bard"), "friendly-bard");
  EXPECT_EQ(normalizedPackageName("zope.interface"), "zope-interface");
}

TEST_F(RequirementsTest, NamesSpecifiersExtrasAndMarkers) {
  auto file = parse("# pinned for the image\n"
                    "Django >= 4.2, < 5  # the web framework\n"
                    "\n"
                    "uvicorn[Standard,http_tools]==0.32.1\n"
                    "pywin32>=306 ; sys_platform == \"win32\"\n"
                    "zope.interface (>=6.0)\n"
                    "requests\n");
  ASSERT_TRUE(file) << diags.output();
  const std::vector<Requirement> &r = file->requirements;
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].name, "django");
  EXPECT_EQ(r[0].specifier, ">=4.2,<5");
  EXPECT_EQ(r[0].line, 2u);
  EXPECT_EQ(diags.lineCol(r[0].loc), "2:1");
  EXPECT_EQ(r[1].name, "uvicorn");
  EXPECT_EQ(r[1].extras, (Strings{"standard", "http-tools"}));
  EXPECT_EQ(r[1].specifier, "==0.32.1");
  EXPECT_EQ(r[1].line, 4u);
  EXPECT_EQ(r[2].marker, "sys_platform == \"win32\"");
  EXPECT_EQ(r[2].specifier, ">=306");
  EXPECT_EQ(r[3].name, "zope-interface");
  EXPECT_EQ(r[3].specifier, ">=6.0");
  EXPECT_EQ(r[4].specifier, "");
  EXPECT_TRUE(file->hasPackage("Zope_Interface"));
  EXPECT_FALSE(file->hasPackage("uvicorn-worker"));
  EXPECT_TRUE(file->options.empty());
}

TEST_F(RequirementsTest, UrlAndPathForms) {
  auto file = parse("whisper @ https://x.org/whisper-1.0.tar.gz ; python_version >= \"3.9\"\n"
                    "git+https://github.com/org/repo.git@v1.2#egg=Repo_Name[cli]\n"
                    "https://x.org/wheels/numpy-1.26.4-cp311-cp311-linux_x86_64.whl\n"
                    "./vendor/lib\n"
                    "torch-2.5.1-cp311-none-linux_x86_64.whl\n"
                    "-e .\n"
                    "--editable git+https://github.com/org/tool.git#egg=tool\n");
  ASSERT_TRUE(file) << diags.output();
  const std::vector<Requirement> &r = file->requirements;
  ASSERT_EQ(r.size(), 7u);
  EXPECT_EQ(r[0].name, "whisper");
  EXPECT_EQ(r[0].url, "https://x.org/whisper-1.0.tar.gz");
  EXPECT_EQ(r[0].marker, "python_version >= \"3.9\"");
  EXPECT_EQ(r[1].name, "repo-name");
  EXPECT_EQ(r[1].extras, (Strings{"cli"}));
  EXPECT_EQ(r[1].url, "git+https://github.com/org/repo.git@v1.2#egg=Repo_Name[cli]");
  EXPECT_EQ(r[2].name, "") << "a URL without #egg= names no project";
  EXPECT_EQ(r[3].url, "./vendor/lib");
  EXPECT_EQ(r[4].url, "torch-2.5.1-cp311-none-linux_x86_64.whl");
  EXPECT_TRUE(r[5].editable);
  EXPECT_EQ(r[5].url, ".");
  EXPECT_TRUE(r[6].editable);
  EXPECT_EQ(r[6].name, "tool");
  EXPECT_EQ(r[6].line, 7u);
}

TEST_F(RequirementsTest, OptionsAndIncludesInFileOrder) {
  auto file = parse("--index-url https://pypi.example/simple\n"
                    "--extra-index-url=https://download.pytorch.org/whl/cu121\n"
                    "-f ./wheels\n"
                    "-r base.txt\n"
                    "-cconstraints.txt\n"
                    "--requirement=dev.txt --pre\n"
                    "--no-index\n"
                    "-i https://second.example/simple\n");
  ASSERT_TRUE(file) << diags.output();
  EXPECT_TRUE(file->requirements.empty());
  EXPECT_EQ(file->optionValues("requirement"), (Strings{"base.txt", "dev.txt"}));
  EXPECT_EQ(file->optionValues("constraint"), (Strings{"constraints.txt"}));
  EXPECT_EQ(file->optionValues("index-url"),
            (Strings{"https://pypi.example/simple", "https://second.example/simple"}));
  EXPECT_EQ(file->optionValues("extra-index-url"),
            (Strings{"https://download.pytorch.org/whl/cu121"}));
  EXPECT_EQ(file->optionValues("find-links"), (Strings{"./wheels"}));
  ASSERT_EQ(file->options.size(), 9u);
  EXPECT_EQ(file->options[6].name, "pre");
  EXPECT_EQ(file->options[6].line, 6u);
  EXPECT_EQ(file->options[7].name, "no-index");
  EXPECT_EQ(file->options[7].value, "");
}

TEST_F(RequirementsTest, ContinuationsCommentsAndHashes) {
  auto file = parse("numpy==1.26.4 \\\n"
                    "    --hash=sha256:aaaa \\\n"
                    "    --hash sha256:bbbb\n"
                    "pillow==10.3.0 \\\n"
                    "# a comment line ends the continued line\n"
                    "url-fragment @ https://x.org/a.whl#sha256=cc  # a trailing comment\n"
                    "last \\");
  ASSERT_TRUE(file) << diags.output();
  const std::vector<Requirement> &r = file->requirements;
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].line, 1u);
  EXPECT_EQ(r[0].hashes, (Strings{"sha256:aaaa", "sha256:bbbb"}));
  EXPECT_EQ(r[1].name, "pillow");
  EXPECT_EQ(r[1].specifier, "==10.3.0");
  EXPECT_EQ(r[1].line, 4u);
  EXPECT_EQ(r[2].url, "https://x.org/a.whl#sha256=cc") << "'#' inside a word is no comment";
  EXPECT_EQ(r[2].line, 6u);
  EXPECT_EQ(r[3].name, "last");
  EXPECT_EQ(r[3].line, 7u);
}

TEST_F(RequirementsTest, ErrorsAtTheirLine) {
  EXPECT_EQ(errorsOf("flask\n"
                     "--index-url\n"
                     "  --frobnicate\n"
                     "numpy => 1.0\n"
                     "==1.0\n"
                     "torch==2.5.1 --index-url https://x\n"
                     "--hash=sha256:abc\n"
                     "uvicorn[standard\n"
                     "_private==1\n"),
            "requirements.txt:2:1: error: option '--index-url' needs a value\n"
            "--index-url\n"
            "^\n"
            "requirements.txt:3:3: error: unknown option '--frobnicate' in a requirements file\n"
            "  --frobnicate\n"
            "  ^\n"
            "requirements.txt:4:1: error: invalid version specifier '=> 1.0' for 'numpy'\n"
            "numpy => 1.0\n"
            "^\n"
            "requirements.txt:5:1: error: invalid requirement '==1.0'; expected a project name, a "
            "URL or a path\n"
            "==1.0\n"
            "^\n"
            "requirements.txt:6:1: error: option '--index-url' must be on a line of its own\n"
            "torch==2.5.1 --index-url https://x\n"
            "^\n"
            "requirements.txt:7:1: error: option '--hash' belongs after a requirement, on its "
            "line\n"
            "--hash=sha256:abc\n"
            "^\n"
            "requirements.txt:8:1: error: the extras of 'uvicorn' need a closing ']'\n"
            "uvicorn[standard\n"
            "^\n"
            "requirements.txt:9:1: error: invalid requirement '_private==1'; expected a project "
            "name, a URL or a path\n"
            "_private==1\n"
            "^\n");
}

} // namespace
} // namespace imageplan::readers
