// Tests for parseSetupCfg: setuptools' two list styles, extras in file order
// with their locations, comments, and the exact text of its errors.
#include "readers/SetupCfg.h"

#include "readers/ReaderTestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using Texts = std::vector<std::string>;

Texts texts(const std::vector<DeclaredRequirement> &requirements) {
  Texts out;
  for (const DeclaredRequirement &requirement : requirements)
    out.push_back(requirement.text);
  return out;
}

class SetupCfgTest : public testing::ReaderTest<SetupCfg, parseSetupCfg> {
protected:
  SetupCfgTest() : ReaderTest("setup.cfg") {}
};

TEST_F(SetupCfgTest, DanglingListsAndExtras) {
  auto cfg = parse(R"([metadata]
name = ocr-service

[options]
packages = find:
install_requires =
    pillow>=10
    # a comment line
    numpy; python_version >= "3.9"

[options.extras_require]
GPU =
    torch>=2.1
    nvidia-ml-py
dev = pytest
)");
  ASSERT_TRUE(cfg) << diags.output();
  EXPECT_EQ(cfg->name, "ocr-service");
  EXPECT_TRUE(cfg->hasOptions);
  EXPECT_EQ(texts(cfg->installRequires),
            (Texts{"pillow>=10", "numpy; python_version >= \"3.9\""}));
  EXPECT_EQ(diags.lineCol(cfg->installRequires[1].loc), "9:5");
  ASSERT_EQ(cfg->extras.size(), 2u);
  EXPECT_EQ(cfg->extras[0].key.name, "gpu") << "configparser lowercases keys";
  EXPECT_EQ(diags.lineCol(cfg->extras[0].key.loc), "12:1");
  EXPECT_EQ(texts(cfg->extras[0].requirements), (Texts{"torch>=2.1", "nvidia-ml-py"}));
  EXPECT_EQ(texts(cfg->extras[1].requirements), (Texts{"pytest"}));
}

TEST_F(SetupCfgTest, OneLineValueIsSplitAtSemicolons) {
  auto cfg = parse("[options]\ninstall_requires = requests>=2; click ;\n");
  ASSERT_TRUE(cfg) << diags.output();
  EXPECT_EQ(texts(cfg->installRequires), (Texts{"requests>=2", "click"}));
  EXPECT_EQ(diags.lineCol(cfg->installRequires[1].loc), "2:33");
}

TEST_F(SetupCfgTest, NoOptionsSection) {
  auto cfg = parse("; only metadata\n[metadata]\nname: tool\n");
  ASSERT_TRUE(cfg) << diags.output();
  EXPECT_EQ(cfg->name, "tool");
  EXPECT_FALSE(cfg->hasOptions);
  EXPECT_TRUE(cfg->installRequires.empty());
}

TEST_F(SetupCfgTest, FileDirectiveIsAnError) {
  EXPECT_EQ(errorsOf("[options]\ninstall_requires = file: requirements.in\n"),
            "setup.cfg:2:20: error: 'install_requires' reads its list from a file ('file:'); "
            "name that file in 'python.requirements' instead\n"
            "install_requires = file: requirements.in\n"
            "                   ^\n");
}

TEST_F(SetupCfgTest, MalformedLines) {
  EXPECT_EQ(errorsOf("[options\ninstall_requires\n"),
            "setup.cfg:1:1: error: expected ']' at the end of the section header\n"
            "[options\n"
            "^\n"
            "setup.cfg:2:1: error: expected 'key = value' or a section header like '[options]'\n"
            "install_requires\n"
            "^\n");
}

} // namespace
} // namespace imageplan::readers
