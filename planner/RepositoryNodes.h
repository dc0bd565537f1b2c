// Extra apt repositories (`system.repositories`): resolved once against the
// base (its package manager, its codename as the default suite), then one
// node per repository in each stage that installs apt packages, before them.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "readers/Diagnostics.h"

#include <optional>
#include <vector>

namespace imageplan::planner {

/// The repositories as plan operations, suites filled in. Reports, at the
/// spec's keys, a base that does not use apt and a suite the base's name
/// does not give.
std::vector<plan::AptSource> resolveRepositories(readers::DiagnosticEngine &diags,
                                                 const dsl::Spec &spec, const BaseImages &base);

/// The repositories' nodes in `stage`, each before every node of `before`
/// (the stage's system packages and interpreter) that installs packages.
/// None when no such node exists.
void addRepositoryNodes(BuildGraph &graph, const GraphInputs &in, unsigned stage,
                        std::initializer_list<std::optional<unsigned>> before);

} // namespace imageplan::planner
