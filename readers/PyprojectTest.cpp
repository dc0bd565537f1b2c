// Tests for parsePyproject: the [project], [build-system], [tool.poetry] and
// [tool.uv] keys in file order with their locations, and the exact text of
// syntax and type errors.
#include "readers/Pyproject.h"

#include "readers/ReaderTestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using Names = std::vector<std::string>;

class PyprojectTest : public testing::ReaderTest<Pyproject, parsePyproject> {
protected:
  PyprojectTest() : ReaderTest("pyproject.toml") {}

  static Names names(const std::vector<PyprojectKey> &keys) {
    Names out;
    for (const PyprojectKey &key : keys)
      out.push_back(key.name);
    return out;
  }
};

TEST_F(PyprojectTest, ProjectTableInFileOrder) {
  auto pyproject = parse(R"([project]
name = "textstats"
requires-python = ">=3.12"
dependencies = [
    "regex>=2024.9.11",  # [web]
    "uvicorn[standard]>=0.32",
]

[project.optional-dependencies]
server = ["starlette>=0.41"]
"cuda" = [
  "torch",
]
audio = []

[project.scripts]
textstats-serve = "textstats.server:main"
admin = "textstats.admin:main"

[build-system]
requires = ["hatchling"]
)");
  ASSERT_TRUE(pyproject) << diags.output();
  EXPECT_TRUE(pyproject->hasProject);
  EXPECT_EQ(pyproject->name, "textstats");
  EXPECT_EQ(pyproject->requiresPython, ">=3.12");
  EXPECT_EQ(pyproject->dependencies, (Names{"regex>=2024.9.11", "uvicorn[standard]>=0.32"}));
  EXPECT_EQ(names(pyproject->optionalDependencies), (Names{"server", "cuda", "audio"}));
  EXPECT_EQ(diags.lineCol(pyproject->optionalDependencies[1].loc), "11:1");
  EXPECT_EQ(names(pyproject->scripts), (Names{"textstats-serve", "admin"}));
  EXPECT_EQ(pyproject->consoleScripts(), (Names{"textstats-serve", "admin"}));
  EXPECT_TRUE(pyproject->buildSystem);
  EXPECT_FALSE(pyproject->poetry);
  EXPECT_FALSE(pyproject->uv);
  EXPECT_EQ(diags.output(), "");
}

TEST_F(PyprojectTest, PoetryAndUvTables) {
  auto pyproject = parse(R"([tool.poetry]
name = "transcriber"

[tool.poetry.dependencies]
python = ">=3.10,<3.13"
torch = { version = "2.5.1", optional = true }

[tool.poetry.extras]
cuda = ["torch"]

[tool.poetry.scripts]
transcribe-serve = "transcriber.server:main"

[tool.uv]
dev-dependencies = []
)");
  ASSERT_TRUE(pyproject) << diags.output();
  EXPECT_FALSE(pyproject->hasProject);
  EXPECT_FALSE(pyproject->buildSystem);
  ASSERT_TRUE(pyproject->poetry);
  EXPECT_EQ(pyproject->poetry->python, ">=3.10,<3.13");
  EXPECT_EQ(pyproject->extras(), (Names{"cuda"}));
  EXPECT_EQ(pyproject->consoleScripts(), (Names{"transcribe-serve"}));
  EXPECT_TRUE(pyproject->uv);
}

TEST_F(PyprojectTest, ExtrasOfBothStylesInFileOrderEachOnce) {
  auto pyproject = parse("[project]\nname = \"a\"\n"
                         "[project.optional-dependencies]\n"
                         "cuda = [\n  \"torch\",\n]\n"
                         "\"server\" = [\"uvicorn\"]\n"
                         "# docs = []\n"
                         "[tool.poetry.extras]\n"
                         "cuda = [\"torch\"]\n"
                         "audio = [\"soundfile\"]\n"
                         "[tool.poetry.dependencies]\n"
                         "python = \"^3.10\"\n");
  ASSERT_TRUE(pyproject) << diags.output();
  EXPECT_EQ(pyproject->extras(), (Names{"cuda", "server", "audio"}));
  EXPECT_EQ(pyproject->poetry->python, "^3.10");
  // Lines of a multi-line list are values, even when they hold '=' or '#'.
  auto multiLine = parse("[project.optional-dependencies]\n"
                         "server = [\n"
                         "    \"starlette>=0.41\",  # [web]\n"
                         "    \"uvicorn[standard]>=0.32\",\n"
                         "]\n"
                         "gpu = [\"torch==2.5.1\"]\n");
  ASSERT_TRUE(multiLine) << diags.output();
  EXPECT_EQ(multiLine->extras(), (Names{"server", "gpu"}));
  // Dotted keys and inline tables are tables too.
  auto dotted = parse("project.optional-dependencies.gpu = [\"torch==2.5.1\"]\n"
                      "project.scripts = {serve = \"a:main\", admin = \"a:admin\"}\n");
  ASSERT_TRUE(dotted) << diags.output();
  EXPECT_EQ(dotted->extras(), (Names{"gpu"}));
  EXPECT_EQ(dotted->consoleScripts(), (Names{"serve", "admin"}));
}

TEST_F(PyprojectTest, EmptyFileHasNothing) {
  auto pyproject = parse("");
  ASSERT_TRUE(pyproject) << diags.output();
  EXPECT_FALSE(pyproject->hasProject);
  EXPECT_TRUE(pyproject->extras().empty());
  EXPECT_TRUE(pyproject->consoleScripts().empty());
}

TEST_F(PyprojectTest, SyntaxErrorIsReportedAtItsLocation) {
  EXPECT_EQ(errorsOf("[project]\nname = \"a\"\nname = \"b\"\n"),
            "pyproject.toml:3:8: error: invalid TOML: error while parsing key-value pair: cannot "
            "redefine existing string 'name'\n"
            "name = \"b\"\n"
            "       ^\n");
  EXPECT_EQ(errorsOf("[tool.poetry\n"),
            "pyproject.toml:1:13: error: invalid TOML: error while parsing table header: expected "
            "']', saw '\\n'\n"
            "[tool.poetry\n"
            "            ^\n");
}

TEST_F(PyprojectTest, KeysOfTheWrongTypeAreErrors) {
  EXPECT_EQ(errorsOf("[project]\n"
                     "requires-python = 3.12\n"
                     "dependencies = [\"a\", 1]\n"
                     "scripts = \"serve\"\n"),
            "pyproject.toml:2:19: error: 'project.requires-python' must be a string, not a float\n"
            "requires-python = 3.12\n"
            "                  ^\n"
            "pyproject.toml:3:22: error: 'project.dependencies' must hold strings, not an "
            "integer\n"
            "dependencies = [\"a\", 1]\n"
            "                     ^\n"
            "pyproject.toml:4:11: error: 'project.scripts' must be a table, not a string\n"
            "scripts = \"serve\"\n"
            "          ^\n");
}

} // namespace
} // namespace imageplan::readers
