// Tests for the Makefile reader: rules, recipes, variables and what a target
// runs.
#include "readers/Makefile.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

std::vector<std::string> texts(const std::vector<MakeCommand> &commands) {
  std::vector<std::string> out;
  for (const MakeCommand &command : commands)
    out.push_back(command.text + " @" + std::to_string(command.line));
  return out;
}

TEST(MakefileTest, TargetsRunTheirPrerequisitesFirstEachOnce) {
  Makefile file = parseMakefile(".PHONY: install deps system\n"
                                "PIP ?= pip\n"
                                "REQS := requirements.txt\n"
                                "\n"
                                "install: system deps ## everything\n"
                                "\t@echo done\n"
                                "deps: system\n"
                                "\t$(PIP) install --no-cache-dir -r $(REQS)\n"
                                "system:\n"
                                "\t-apt-get update && \\\n"
                                "\t  apt-get install -y libgl1\n");
  EXPECT_EQ(file.defaultTarget(), "install");
  EXPECT_EQ(texts(file.commandsFor("install")),
            (std::vector<std::string>{"apt-get update && \\\n  apt-get install -y libgl1 @10",
                                      "pip install --no-cache-dir -r requirements.txt @8",
                                      "echo done @6"}));
  EXPECT_TRUE(file.commandsFor("no-such-target").empty());
}

TEST(MakefileTest, AssignmentsFollowMake) {
  Makefile file = parseMakefile("A = one\n"
                                "A += two\n"
                                "B ?= kept\n"
                                "B ?= ignored\n"
                                "C := $(A) three\n"
                                "A = changed\n"
                                "export D = $(C)\n"
                                "override E::=five\n");
  EXPECT_EQ(file.expand("$(A)|$(B)|${C}|$(D)|$(E)|$(UNSET)|$$HOME"),
            "changed|kept|one two three|one two three|five||$HOME");
  // A function call is kept as written.
  EXPECT_EQ(file.expand("$(shell git rev-parse HEAD)"), "$(shell git rev-parse HEAD)");
}

TEST(MakefileTest, RecursiveMakeAndAutomaticVariables) {
  Makefile file = parseMakefile("all: build\n"
                                "\t$(MAKE) install\n"
                                "\tmake -C native\n"
                                "build: src/main.c\n"
                                "\t$(CC) -o $@ $<\n"
                                "install: ; pip install $^ .\n"
                                "define HELP\n"
                                "install: not a rule\n"
                                "endef\n"
                                "ifeq ($(CI),1)\n"
                                "ci: ; echo ci\n"
                                "endif\n");
  EXPECT_EQ(texts(file.commandsFor("all")),
            (std::vector<std::string>{"cc -o build src/main.c @5", "pip install  . @6",
                                      "make -C native @3"}));
  ASSERT_NE(file.ruleFor("ci"), nullptr);
  EXPECT_EQ(file.ruleFor("install")->line, 6u);
}

TEST(MakefileTest, GoalsOfAMakeCommandLine) {
  std::string directory, makefile;
  EXPECT_EQ(makeGoals({"-j", "4", "-C", "native", "PREFIX=/usr", "install", "check"}, directory,
                      makefile),
            (std::vector<std::string>{"install", "check"}));
  EXPECT_EQ(directory, "native");
  EXPECT_EQ(makefile, "");
  EXPECT_EQ(makeGoals({"-fbuild.mk", "-j", "deps"}, directory, makefile),
            (std::vector<std::string>{"deps"}));
  EXPECT_EQ(makefile, "build.mk");
}

} // namespace
} // namespace imageplan::readers
