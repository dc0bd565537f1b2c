// For every sample (samples/*/imageplan.yaml, discovered when the test runs):
// replays a commit that edits one app file, and one that edits the Python
// dependency manifests (requirements, lock files), over the generated
// Dockerfile with the score model (planner/Score.h, docs/score.md), and
// checks which layers that invalidates. A code edit must invalidate no
// dependency layer; a manifest edit must invalidate no system-package layer.
#include "analysis/Score.h"
#include "backends/Backend.h"
#include "dsl/Parser.h"
#include "planner/Planner.h"
#include "readers/Diagnostics.h"
#include "readers/DockerfileParser.h"
#include "readers/DockerignoreMatcher.h"
#include "tests/harness/Samples.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace imageplan {
namespace {

// Kinds of graph node whose layers install what the app depends on
// (planner/Graph.h): a code edit must never rebuild one of them.
const std::set<std::string> &dependencyKinds() {
  static const std::set<std::string> kinds = {
      "system-packages", "interpreter",    "python-packages", "requirements",
      "build-requires",  "wheel-build",    "wheel-install",   "model-download",
      "model-copy",      "image-artifact", "python-manager",  "python-deps",
      "venv-copy",       "pins-file",      "venv-split",      "conda-env",
      "apt-repository",  "asset-fetch",    "asset-copy",
  };
  return kinds;
}

// Kinds whose inputs are the Python dependency manifests.
const std::set<std::string> &manifestKinds() {
  static const std::set<std::string> kinds = {"requirements", "python-deps", "conda-env"};
  return kinds;
}

// A regular file that stands for `input` (context-relative): the file itself,
// or the first file under it when it is a folder; "" when there is none.
std::string fileFor(llvm::StringRef contextDir, llvm::StringRef input) {
  std::string path = (contextDir + "/" + input).str();
  if (llvm::sys::fs::is_regular_file(path))
    return llvm::StringRef(input).rtrim('/').str();
  if (!llvm::sys::fs::is_directory(path))
    return "";
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(path, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::sys::fs::is_regular_file(it->path()))
      files.push_back(it->path());
  if (files.empty())
    return "";
  std::sort(files.begin(), files.end());
  return llvm::StringRef(files.front()).drop_front(contextDir.size() + 1).str();
}

struct LayerRef {
  std::string stage;
  const plan::Layer *layer;
};

class SampleTest : public ::testing::TestWithParam<std::string> {
protected:
  void SetUp() override {
    dir = GetParam();
    llvm::Expected<unsigned> id = diags.addFile(dir + "/imageplan.yaml", readers::limits::kSpec);
    ASSERT_TRUE(bool(id)) << llvm::toString(id.takeError());
    llvm::Expected<dsl::Spec> spec = dsl::parseSpec(diags, *id, "imageplan.yaml");
    ASSERT_TRUE(bool(spec)) << llvm::toString(spec.takeError()) << out;
    llvm::Error checked = dsl::checkSpec(diags, *spec, dir, nullptr);
    ASSERT_FALSE(bool(checked)) << llvm::toString(std::move(checked)) << out;
    llvm::Expected<plan::Plan> built = planner::buildPlan(diags, *spec, {});
    ASSERT_TRUE(bool(built)) << llvm::toString(built.takeError()) << out;
    plan = std::move(*built);
    dockerfileText = backends::emitDockerfile(plan);
    unsigned fileId = diags.addBuffer(dockerfileText, "<generated Dockerfile>");
    llvm::Expected<readers::Dockerfile> parsed = readers::parseDockerfile(diags, fileId);
    ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError()) << out;
    dockerfile = std::move(*parsed);
    unsigned ignoreId = diags.addBuffer(backends::emitDockerignore(plan), "<.dockerignore>");
    llvm::Expected<readers::DockerignoreMatcher> matcher =
        readers::DockerignoreMatcher::parse(diags, ignoreId);
    ASSERT_TRUE(bool(matcher)) << llvm::toString(matcher.takeError()) << out;
    ignore.emplace(std::move(*matcher));
    mapLines();
  }

  // Each layer starts at its `# <what> (changes <class>)` comment; the
  // layers come in plan order, so walking the text finds them in turn.
  void mapLines() {
    std::vector<LayerRef> layers;
    for (const plan::Stage &stage : plan.stages)
      for (const plan::Layer &layer : stage.layers)
        if (!layer.ops.empty())
          layers.push_back({stage.name, &layer});
    llvm::SmallVector<llvm::StringRef, 256> lines;
    llvm::StringRef(dockerfileText).split(lines, '\n');
    size_t next = 0;
    for (size_t i = 0; i < lines.size() && next < layers.size(); ++i) {
      const plan::Layer &layer = *layers[next].layer;
      std::string comment =
          "# " + layer.what + " (changes " + plan::toString(layer.changeClass) + ")";
      if (lines[i] == comment)
        starts.push_back({unsigned(i + 1), layers[next++]});
    }
    ASSERT_EQ(layers.size(), next) << "could not find every layer's comment in\n"
                                   << dockerfileText;
  }

  const LayerRef *layerAt(unsigned line) const {
    const LayerRef *found = nullptr;
    for (const auto &[start, ref] : starts)
      if (start <= line)
        found = &ref;
    return found;
  }

  // The layers a single commit changing `files` invalidates.
  std::vector<LayerRef> invalidatedBy(std::vector<std::string> files) const {
    std::sort(files.begin(), files.end());
    planner::History history;
    history.commits.push_back({"synthetic", files, false});
    analysis::Score score = analysis::scoreDockerfile(dockerfile, &*ignore, history);
    std::vector<LayerRef> result;
    for (const analysis::ScoredStage &stage : score.stages)
      for (const analysis::ScoredInstruction &inst : stage.instructions)
        if (inst.invalidated)
          if (const LayerRef *ref = layerAt(inst.line))
            result.push_back(*ref);
    return result;
  }

  // The inputs of layers with one of `kinds`, as files of the sample.
  std::vector<std::string> filesOfKinds(const std::set<std::string> &kinds) const {
    std::vector<std::string> files;
    for (const plan::Stage &stage : plan.stages)
      for (const plan::Layer &layer : stage.layers) {
        if (llvm::none_of(layer.kinds, [&](const std::string &k) { return kinds.count(k); }))
          continue;
        for (const std::string &input : layer.inputs) {
          std::string file = fileFor(dir, input);
          if (!file.empty() && !llvm::is_contained(files, file))
            files.push_back(file);
        }
      }
    return files;
  }

  static std::string describe(const LayerRef &ref) {
    return "stage " + ref.stage + " layer '" + ref.layer->what + "'";
  }

  std::string dir;
  std::string out;
  llvm::raw_string_ostream os{out};
  readers::DiagnosticEngine diags{os};
  plan::Plan plan;
  std::string dockerfileText;
  readers::Dockerfile dockerfile;
  std::optional<readers::DockerignoreMatcher> ignore;
  std::vector<std::pair<unsigned, LayerRef>> starts;
};

TEST_P(SampleTest, CodeEditInvalidatesNoDependencyLayer) {
  // A project's pyproject.toml is copied with its code, but it is a manifest:
  // editing it is a dependency change, not a code edit.
  std::vector<std::string> manifests = filesOfKinds(manifestKinds());
  std::vector<std::string> appFiles;
  for (const std::string &file : filesOfKinds({"app-copy"}))
    if (!llvm::is_contained(manifests, file))
      appFiles.push_back(file);
  if (appFiles.empty())
    GTEST_SKIP() << "no app files in " << dir;
  for (const std::string &file : appFiles) {
    std::vector<LayerRef> hit = invalidatedBy({file});
    EXPECT_FALSE(hit.empty()) << "editing " << file << " rebuilds nothing: the test sees no change";
    for (const LayerRef &ref : hit)
      for (const std::string &kind : ref.layer->kinds)
        EXPECT_FALSE(dependencyKinds().count(kind))
            << "editing " << file << " invalidates " << describe(ref) << " (" << kind << ")\n"
            << dockerfileText;
  }
}

TEST_P(SampleTest, ManifestEditInvalidatesNoSystemPackageLayer) {
  std::vector<std::string> manifests = filesOfKinds(manifestKinds());
  if (manifests.empty())
    GTEST_SKIP() << "no dependency manifests in " << dir;
  std::vector<LayerRef> hit = invalidatedBy(manifests);
  EXPECT_FALSE(hit.empty()) << "editing the manifests rebuilds nothing: the test sees no change";
  for (const LayerRef &ref : hit)
    for (const std::string &kind : ref.layer->kinds)
      EXPECT_TRUE(kind != "system-packages" && kind != "interpreter")
          << "editing " << llvm::join(manifests, ", ") << " invalidates " << describe(ref)
          << "\n"
          << dockerfileText;
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleTest, ::testing::ValuesIn(testsupport::sampleDirs()),
                         testsupport::sampleTestName);

} // namespace
} // namespace imageplan
