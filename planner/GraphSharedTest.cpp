// The value helpers the node builders share.
#include "planner/GraphShared.h"

#include <gtest/gtest.h>

namespace imageplan::planner {
namespace {

TEST(GraphSharedTest, ModelSlugs) {
  std::pair<const char *, const char *> cases[] = {{"deepseek-ai/DeepSeek-OCR", "deepseek-ocr"},
                                                   {"BAAI/bge-small-en-v1.5", "bge-small-en-v1-5"},
                                                   {"__x__", "x"},
                                                   {"org/...", "model"}};
  for (auto [id, slug] : cases)
    EXPECT_EQ(modelSlug(id), slug) << id;
}

TEST(GraphSharedTest, DestinationsUnderTheWorkdir) {
  EXPECT_EQ(destinationUnder("/app", "."), "/app/");
  EXPECT_EQ(destinationUnder("/app/", "src/"), "/app/src/");
  EXPECT_EQ(destinationUnder("/srv", "./main.py"), "/srv/main.py");
  dsl::AppSpec app;
  EXPECT_EQ(appWorkdir(app), "/app");
  app.workdir = dsl::LString{"/srv", {}};
  EXPECT_EQ(appWorkdir(app), "/srv");
}

TEST(GraphSharedTest, SortedUniqueAndValues) {
  EXPECT_EQ(sortedUnique({"git", "curl", "git", "ca-certificates"}),
            (std::vector<std::string>{"ca-certificates", "curl", "git"}));
  EXPECT_EQ(values(std::vector<dsl::LString>{{"b", {}}, {"a", {}}}),
            (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(values(dsl::LPairs{{{"K", {}}, {"v", {}}}}), (plan::Pairs{{"K", "v"}}));
}

} // namespace
} // namespace imageplan::planner
