// What changed between two plans, for `imageplan diff`: stages and layers
// added, removed, moved or changed, which cached layers the change
// invalidates on the next build, and the expected rebuild cost per commit
// before and after. Layers are matched by stage name and `what`; the
// rendered text of each layer (supplied by the caller, since the planner
// never formats output) decides whether a matched layer changed. A layer
// left over on both sides with the same kind ("wheels: ...") matches too.
#pragma once

#include "planner/Plan.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace imageplan::analysis {

/// How the caller renders a plan: the instructions of one layer of a stage,
/// a stage's header (FROM and what comes before its first layer), and the
/// image settings after its last layer (user, ports, command, ...).
struct PlanRenderer {
  std::function<std::string(const plan::Plan &, const plan::Stage &, const plan::Layer &)>
      layerText;
  std::function<std::string(const plan::Plan &, const plan::Stage &)> stageHeader;
  std::function<std::string(const plan::Plan &, const plan::Stage &)> stageSettings;
};

enum class Change { Same, Added, Removed, Moved, Changed, MovedAndChanged };
const char *toString(Change change);

struct LayerDiff {
  std::string what;
  Change change = Change::Same;
  unsigned oldIndex = 0, newIndex = 0; // 1-based positions in the stage; 0: absent
  double cost = 0;                     // the new layer's (the old one's when removed)
  std::string oldWhat;                 // when matched by kind: the old layer's `what`
};

struct StageDiff {
  std::string name;
  Change change = Change::Same; // Changed: its header (base, shell, environment) differs
  bool settingsChanged = false;  // the image settings after its layers differ
  std::string oldFrom, newFrom;
  unsigned oldIndex = 0, newIndex = 0; // 1-based stage positions; 0: absent
  /// Layers of the new stage in order, then removed ones in their old order.
  std::vector<LayerDiff> layers;
  /// On the next build with the old plan's cache: the first new layer
  /// (1-based) whose cache is invalid, and every one after it; 0: none.
  unsigned firstInvalidated = 0;
  unsigned layerCount = 0;       // of the new stage
  double invalidatedSeconds = 0; // what rebuilding them costs
};

struct PlanDiff {
  /// Stages of the new plan in order, then removed ones in their old order.
  std::vector<StageDiff> stages;
  double oldExpectedSeconds = 0; // per commit: sum of cost * rebuildProbability
  double newExpectedSeconds = 0;
  double invalidatedSeconds = 0; // of the next build, over all stages

  /// True when no stage or layer was added, removed, moved or changed, and
  /// no stage's image settings changed.
  bool unchanged() const;
};

PlanDiff diffPlans(const plan::Plan &oldPlan, const plan::Plan &newPlan,
                   const PlanRenderer &render);

} // namespace imageplan::analysis
