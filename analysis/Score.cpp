// The replay: for each commit, the context files it changed (after the
// .dockerignore), then each stage in dependency order, each instruction in
// order, deciding whether its cache would have been invalidated. Instructions
// are compiled once into what they read, so a replay is linear in commits.
#include "analysis/Score.h"

#include "analysis/InstructionCost.h"
#include "readers/InputFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <optional>

namespace imageplan::analysis {
namespace {

/// A COPY/ADD source or a bind-mount source in the build context.
class ContextSource {
public:
  explicit ContextSource(llvm::StringRef written) {
    std::string path = readers::cleanPath(written);
    while (llvm::StringRef(path).startswith("/"))
      path.erase(0, 1);
    path = readers::cleanPath(path);
    if (path == "..")
      outside = true; // BuildKit refuses paths that leave the context
    else if (llvm::StringRef(path).startswith("../"))
      outside = true;
    if (llvm::StringRef(path).find_first_of("*?[") != llvm::StringRef::npos) {
      if (llvm::Expected<readers::PathPattern> pattern = readers::PathPattern::compile(path))
        glob = std::move(*pattern);
      else
        llvm::consumeError(pattern.takeError()); // BuildKit would fail; nothing matches
    }
    this->path = std::move(path);
  }

  bool reads(llvm::StringRef file) const {
    if (outside)
      return false;
    if (glob)
      return glob->matchesOrParent(file);
    if (llvm::StringRef(path).find_first_of("*?[") != llvm::StringRef::npos)
      return false; // a malformed glob
    return planner::coveredBy(file, path);
  }

  /// `file` relative to this source when the source is a directory holding it.
  std::optional<std::string> relative(llvm::StringRef file) const {
    if (glob || outside || !planner::coveredBy(file, path))
      return std::nullopt;
    if (path == ".")
      return file.str();
    if (file == path)
      return std::nullopt;
    return file.drop_front(path.size() + 1).str();
  }

private:
  std::string path;
  std::optional<readers::PathPattern> glob;
  bool outside = false;
};

/// What one instruction reads: context sources, minus its --exclude
/// patterns, and other stages.
struct Reads {
  std::vector<ContextSource> sources;
  std::vector<readers::PathPattern> excludes;
  std::vector<int> stages;

  bool readsFile(llvm::StringRef file) const {
    for (const ContextSource &source : sources) {
      if (!source.reads(file))
        continue;
      std::optional<std::string> inside = source.relative(file);
      bool excluded = llvm::any_of(excludes, [&](const readers::PathPattern &pattern) {
        return pattern.matchesOrParent(file) || (inside && pattern.matchesOrParent(*inside));
      });
      if (!excluded)
        return true;
    }
    return false;
  }
  bool readsAny(llvm::ArrayRef<std::string> files) const {
    return llvm::any_of(files, [&](const std::string &file) { return readsFile(file); });
  }
};

bool isUrl(llvm::StringRef source) {
  return source.contains("://") || source.startswith("git@");
}

Reads readsOf(const readers::DockerfileInstruction &inst) {
  Reads reads;
  if (inst.copy) {
    if (inst.copy->from.isContext()) {
      for (const std::string &source : inst.copy->sources)
        if (!isUrl(source))
          reads.sources.emplace_back(source);
    } else if (inst.copy->from.stage >= 0) {
      reads.stages.push_back(inst.copy->from.stage);
    }
    for (const std::string &exclude : inst.copy->excludes) {
      if (llvm::Expected<readers::PathPattern> pattern =
              readers::PathPattern::compile(readers::cleanPath(exclude)))
        reads.excludes.push_back(std::move(*pattern));
      else
        llvm::consumeError(pattern.takeError());
    }
  }
  for (const readers::DockerfileMount &mount : inst.mounts) {
    if (mount.type != "bind" && mount.type != "cache")
      continue;
    if (mount.from.stage >= 0)
      reads.stages.push_back(mount.from.stage);
    else if (mount.from.isContext() && mount.type == "bind")
      reads.sources.emplace_back(mount.source.empty() ? "." : mount.source);
  }
  return reads;
}

/// The stages stage `s` builds on: its FROM stage, then those its
/// instructions read from, in instruction order.
std::vector<int> stageInputs(const readers::Dockerfile &file,
                             const std::vector<std::vector<Reads>> &reads, size_t s) {
  std::vector<int> inputs;
  if (file.stages[s].baseStage >= 0)
    inputs.push_back(file.stages[s].baseStage);
  for (const Reads &r : reads[s])
    llvm::append_range(inputs, r.stages);
  return inputs;
}

/// Stages ordered so that every stage comes after those it derives from or
/// reads from; among free stages, file order. A depth-first post-order with
/// an explicit stack: a chain of stages as long as the file allows must not
/// grow the call stack.
std::vector<size_t> dependencyOrder(const readers::Dockerfile &file,
                                    const std::vector<std::vector<Reads>> &reads) {
  std::vector<size_t> order;
  std::vector<char> state(file.stages.size(), 0); // 0 new, 1 on the stack, 2 placed
  struct Visit {
    size_t stage;
    std::vector<int> inputs;
    size_t next = 0;
  };
  std::vector<Visit> stack;
  for (size_t root = 0; root < file.stages.size(); ++root) {
    if (state[root])
      continue;
    state[root] = 1;
    stack.push_back({root, stageInputs(file, reads, root)});
    while (!stack.empty()) {
      Visit &top = stack.back();
      if (top.next == top.inputs.size()) {
        state[top.stage] = 2;
        order.push_back(top.stage);
        stack.pop_back();
        continue;
      }
      int input = top.inputs[top.next++];
      if (state[input] == 0) { // on the stack already: a cycle, which the parser rejects
        state[input] = 1;
        stack.push_back({static_cast<size_t>(input), stageInputs(file, reads, input)});
      }
    }
  }
  return order;
}

/// Marks the stages the last stage needs, through FROM, COPY --from and
/// mounts, as built; the others are not. A walk with a worklist.
void markBuilt(const readers::Dockerfile &file, const std::vector<std::vector<Reads>> &reads,
               Score &score) {
  std::vector<char> needed(file.stages.size(), 0);
  std::vector<size_t> work;
  if (!file.stages.empty()) {
    needed.back() = 1;
    work.push_back(file.stages.size() - 1);
  }
  while (!work.empty()) {
    size_t s = work.back();
    work.pop_back();
    for (int input : stageInputs(file, reads, s))
      if (!needed[input]) {
        needed[input] = 1;
        work.push_back(input);
      }
  }
  for (size_t s = 0; s < file.stages.size(); ++s)
    score.stages[s].built = needed[s] != 0;
}

bool buildsLayer(const readers::DockerfileInstruction &inst) {
  return inst.keyword == "RUN" || inst.keyword == "COPY" || inst.keyword == "ADD";
}

} // namespace

bool sourceReads(llvm::StringRef source, llvm::StringRef file) {
  return ContextSource(source).reads(file);
}

double expectedSeconds(const ScoredInstruction &inst, unsigned commits) {
  return commits ? inst.cost * inst.invalidated / commits : 0;
}

double lowerBoundSeconds(const ScoredInstruction &inst, unsigned commits) {
  return commits ? inst.cost * inst.ownChanges / commits : 0;
}

double expectedSeconds(const ScoredStage &stage, unsigned commits) {
  double total = 0;
  for (const ScoredInstruction &inst : stage.instructions)
    total += expectedSeconds(inst, commits);
  return total;
}

double Score::expectedSeconds() const {
  double total = 0;
  for (const ScoredStage &stage : stages)
    if (stage.built)
      total += analysis::expectedSeconds(stage, commits);
  return total;
}

double Score::lowerBoundSeconds() const {
  double total = 0;
  for (const ScoredStage &stage : stages)
    if (stage.built)
      for (const ScoredInstruction &inst : stage.instructions)
        total += analysis::lowerBoundSeconds(inst, commits);
  return total;
}

Score scoreDockerfile(const readers::Dockerfile &dockerfile,
                      const readers::DockerignoreMatcher *ignore, const planner::History &history,
                      const ContextFileReader &readContext) {
  Score score;
  score.commits = history.commits.size();
  std::vector<std::vector<Reads>> reads(dockerfile.stages.size());
  // scored[s][i]: index into score.stages[s].instructions, or -1 for an
  // instruction that builds no layer.
  std::vector<std::vector<int>> scored(dockerfile.stages.size());
  // What each stage holds of the context at its end: a derived stage starts there.
  std::vector<CostContext> contexts(dockerfile.stages.size());
  for (size_t s = 0; s < dockerfile.stages.size(); ++s) {
    const readers::DockerfileStage &stage = dockerfile.stages[s];
    ScoredStage out;
    out.name = stage.label(s);
    out.base = stage.base;
    CostContext &context = contexts[s];
    if (stage.baseStage >= 0)
      context = contexts[stage.baseStage];
    context.readFile = readContext;
    for (const readers::DockerfileInstruction &inst : stage.instructions) {
      reads[s].push_back(readsOf(inst));
      if (buildsLayer(inst)) {
        InstructionEstimate estimate = estimateInstruction(inst, context);
        scored[s].push_back(static_cast<int>(out.instructions.size()));
        out.instructions.push_back(
            {inst.line, estimate.summary, estimate.seconds, 0, 0, std::move(estimate.notes)});
      } else {
        scored[s].push_back(-1);
      }
      context.paths.apply(inst);
    }
    score.stages.push_back(std::move(out));
  }
  std::vector<size_t> order = dependencyOrder(dockerfile, reads);
  markBuilt(dockerfile, reads, score);

  std::vector<std::string> files;
  for (const planner::Commit &commit : history.commits) {
    files.clear();
    for (const std::string &file : commit.files)
      if (!ignore || !ignore->excludes(file))
        files.push_back(file);
    // rebuilt[s]: the stage's result changed in the replayed build; changed[s]:
    // the same when each step rebuilds only for its own inputs.
    std::vector<char> rebuilt(dockerfile.stages.size(), 0), changed(rebuilt);
    for (size_t s : order) {
      int base = dockerfile.stages[s].baseStage;
      bool invalid = base >= 0 && rebuilt[base];
      bool stageChanged = base >= 0 && changed[base];
      for (size_t i = 0; i < reads[s].size(); ++i) {
        const Reads &r = reads[s][i];
        bool context = r.readsAny(files);
        bool own = context || llvm::any_of(r.stages, [&](int t) { return rebuilt[t] != 0; });
        bool ownIdeal = context || llvm::any_of(r.stages, [&](int t) { return changed[t] != 0; });
        invalid = invalid || own;
        stageChanged = stageChanged || ownIdeal;
        if (scored[s][i] < 0)
          continue;
        ScoredInstruction &out = score.stages[s].instructions[scored[s][i]];
        out.invalidated += invalid;
        out.ownChanges += ownIdeal;
      }
      rebuilt[s] = invalid;
      changed[s] = stageChanged;
    }
  }
  return score;
}

std::optional<Score> scoreDockerfileBuffers(readers::DiagnosticEngine &diags, unsigned bufferId,
                                            unsigned ignoreId, const planner::History &history,
                                            const ContextFileReader &readContext) {
  llvm::Expected<readers::Dockerfile> file = readers::parseDockerfile(diags, bufferId);
  if (!file) {
    llvm::consumeError(file.takeError());
    return std::nullopt;
  }
  std::optional<readers::DockerignoreMatcher> ignore;
  if (ignoreId) {
    llvm::Expected<readers::DockerignoreMatcher> parsed =
        readers::DockerignoreMatcher::parse(diags, ignoreId);
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      return std::nullopt;
    }
    ignore = std::move(*parsed);
  }
  return scoreDockerfile(*file, ignore ? &*ignore : nullptr, history, readContext);
}

ContextFileReader contextFileReader(llvm::StringRef contextDir) {
  return [dir = contextDir.str()](llvm::StringRef file) -> std::optional<std::string> {
    if (file.startswith("/") || file == ".." || file.startswith("../") || file.contains("/../"))
      return std::nullopt;
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, file);
    // A script or Makefile of the context, through the one bounded reader,
    // and only inside the context.
    auto buffer = readers::readInputFile(path, readers::limits::kProjectFile, {}, dir);
    if (!buffer) {
      llvm::consumeError(buffer.takeError());
      return std::nullopt;
    }
    return (*buffer)->getBuffer().str();
  };
}

std::string ignoreFileFor(llvm::StringRef dockerfile, llvm::StringRef contextDir) {
  std::string beside = (dockerfile + ".dockerignore").str();
  if (llvm::sys::fs::is_regular_file(beside))
    return beside;
  llvm::SmallString<256> inContext(contextDir);
  llvm::sys::path::append(inContext, ".dockerignore");
  if (llvm::sys::fs::is_regular_file(inContext))
    return inContext.str().str();
  return "";
}

} // namespace imageplan::analysis
