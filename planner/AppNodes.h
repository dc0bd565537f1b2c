// The runtime stage's own nodes for the app: the non-root user, the app
// environment and workdir, app directories, the copies of the app's code,
// and the inline files the spec writes.
#pragma once

#include "planner/Graph.h"
#include "planner/GraphInputs.h"
#include "planner/StageAnchors.h"

#include <optional>

namespace imageplan::planner {

/// The user the app runs as; none when it runs as root.
std::optional<unsigned> addUser(BuildGraph &graph, const GraphInputs &in, unsigned stage);

/// `app.env`, when it sets anything.
std::optional<unsigned> addAppEnv(BuildGraph &graph, const dsl::AppSpec &app, unsigned stage);

/// The app's workdir (/app unless `app.workdir`).
unsigned addAppWorkdir(BuildGraph &graph, const dsl::AppSpec &app, unsigned stage);

/// `app.dirs`, owned by the runtime user: after the workdir and the user.
void addAppDirs(BuildGraph &graph, const GraphInputs &in, const StageAnchors &runtime);

/// One copy of each `app.copy` path under the workdir.
void addAppCopies(BuildGraph &graph, const dsl::AppSpec &app, const StageAnchors &runtime);

/// Files the spec gives inline: root-owned, written after the system packages
/// so that no package overwrites them.
void addInlineFiles(BuildGraph &graph, const dsl::Spec &spec, const StageAnchors &runtime);

} // namespace imageplan::planner
