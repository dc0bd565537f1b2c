// User, app environment, workdir, directories, code copies and inline files
// (AppNodes.h).
#include "planner/AppNodes.h"

#include "planner/Costs.h"
#include "planner/GraphCore.h"
#include "planner/GraphShared.h"
#include "planner/SystemManager.h"

namespace imageplan::planner {
namespace {
constexpr int kDefaultUid = 10001;
} // namespace

std::optional<unsigned> addUser(BuildGraph &graph, const GraphInputs &in, unsigned stage) {
  std::string user = in.runtimeUser();
  if (user.empty())
    return std::nullopt;
  const dsl::AppSpec &app = in.spec.app;
  plan::PackageManager manager = in.base.manager;
  std::vector<plan::Op> ops;
  if (std::vector<std::string> tools = userToolPackages(manager); !tools.empty())
    ops.push_back(plan::SystemInstall{tools, manager});
  plan::CreateUser create{user, app.uid ? static_cast<int>(app.uid->value) : kDefaultUid,
                          usesBusyboxUserTools(manager)};
  create.gid = app.gid ? static_cast<int>(app.gid->value) : create.uid;
  create.groups = values(app.groups);
  ops.push_back(std::move(create));
  return addNode(graph, NodeKind::User, "user " + user, stage, app.user ? app.user->loc : app.loc,
                 costs::kUserRate, costs::kUser, std::move(ops))
      .id;
}

std::optional<unsigned> addAppEnv(BuildGraph &graph, const dsl::AppSpec &app, unsigned stage) {
  if (app.env.empty())
    return std::nullopt;
  return addNode(graph, NodeKind::AppEnv, "app environment", stage, app.env.front().first.loc,
                 costs::kEnvRate, 0, {plan::SetEnv{values(app.env)}}, {"app"})
      .id;
}

unsigned addAppWorkdir(BuildGraph &graph, const dsl::AppSpec &app, unsigned stage) {
  std::string workdir = appWorkdir(app);
  return addNode(graph, NodeKind::Workdir, "workdir " + workdir, stage,
                 app.workdir ? app.workdir->loc : app.loc, costs::kWorkdirRate, 0,
                 {plan::SetWorkdir{workdir}})
      .id;
}

void addAppDirs(BuildGraph &graph, const GraphInputs &in, const StageAnchors &runtime) {
  const dsl::AppSpec &app = in.spec.app;
  if (app.dirs.empty())
    return;
  Node &dirs = addNode(graph, NodeKind::AppDirs, "app directories", runtime.stage,
                       app.dirs.front().loc, costs::kDirsRate, costs::kDirs,
                       {plan::MakeDirs{values(app.dirs), in.runtimeUser()}}, {"app"});
  needs(graph, dirs, runtime.workdir);
  needs(graph, dirs, runtime.user);
}

void addAppCopies(BuildGraph &graph, const dsl::AppSpec &app, const StageAnchors &runtime) {
  std::string workdir = appWorkdir(app);
  for (const dsl::CopySpec &entry : app.copy) {
    const dsl::LString &path = entry.from;
    std::string dest = copyDestination(workdir, entry);
    std::string name = "app " + path.value;
    if (entry.to)
      name += " to " + dest;
    Node &copy = addNode(graph, NodeKind::AppCopy, name, runtime.stage, path.loc,
                         costs::kAppCodeRate, costs::kAppCopy,
                         {plan::CopyContext{{path.value}, dest, ""}}, {"app"});
    copy.inputs = {path.value};
    if (path.value == ".")
      copy.excludes = values(app.exclude);
    applyChanges(copy, app.changes);
    needs(graph, copy, runtime.workdir);
  }
}

void addInlineFiles(BuildGraph &graph, const dsl::Spec &spec, const StageAnchors &runtime) {
  for (const dsl::FileSpec &file : spec.files) {
    std::string mode = file.mode ? file.mode->value : "0644";
    if (mode.size() < 4)
      mode.insert(0, 4 - mode.size(), '0');
    Node &node = addNode(graph, NodeKind::InlineFile, "file " + file.path.value, runtime.stage,
                         file.loc, costs::kInlineFileRate, costs::kInlineFile,
                         {plan::WriteFile{file.path.value, file.content.value, mode}}, {"app"});
    applyChanges(node, file.changes);
    needs(graph, node, runtime.system);
  }
}

} // namespace imageplan::planner
