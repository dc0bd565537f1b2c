// Tests for the shell word splitter: operators, redirections, quotes and
// substitutions.
#include "readers/ShellWords.h"

#include <gtest/gtest.h>

namespace imageplan::readers {
namespace {

using Commands = std::vector<std::vector<std::string>>;

TEST(ShellCommands, SplitsAtOperatorsAndDropsRedirections) {
  EXPECT_EQ(shellCommands("apt-get update && apt-get install -y a b > /dev/null 2>&1; "
                          "echo 'x && y' | tee f"),
            (Commands{{"apt-get", "update"},
                      {"apt-get", "install", "-y", "a", "b"},
                      {"echo", "x && y"},
                      {"tee", "f"}}));
  EXPECT_EQ(shellCommands("# comment\nmake -C native \\\n  install # trailing\n(cd x || exit 1)"),
            (Commands{{"make", "-C", "native", "install"}, {"cd", "x"}, {"exit", "1"}}));
}

TEST(ShellCommands, QuotesAndSubstitutionsStayOneWord) {
  EXPECT_EQ(shellCommands("python3 -c \"$(printf '%s\\n' 'a(\"b\")' 'c')\" && echo \"a\\\"b\""),
            (Commands{{"python3", "-c", "$(printf '%s\\n' 'a(\"b\")' 'c')"},
                      {"echo", "a\\\"b"}}));
}

} // namespace
} // namespace imageplan::readers
