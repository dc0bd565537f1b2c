// What `imageplan score` prints: for each Dockerfile scored, every RUN, COPY
// and ADD with how often the replayed history invalidated it, its cost and its
// expected rebuild seconds per commit; then the totals, the lower bound and the
// ratio. Text for people, JSON (fields in a fixed order) for tools.
#pragma once

#include "analysis/Score.h"

#include <string>
#include <vector>

namespace imageplan::analysis {

/// One scored Dockerfile and how the report names it.
struct ScoredDockerfile {
  std::string name;
  Score score;
  bool showLowerBound = false; // the generated one: its own lower bound is shown
};

/// The report over `entries`: the generated Dockerfile first, then (optionally)
/// the user's, which the ratio compares with it. `commits` were replayed.
std::string scoreText(unsigned commits, const std::vector<ScoredDockerfile> &entries);
std::string scoreJson(unsigned commits, const std::vector<ScoredDockerfile> &entries);

} // namespace imageplan::analysis
