// Hand-built plans shared by the backend tests: one representative plan with
// a builder, a model and a runtime stage that together use every operation.
#pragma once

#include "backends/Backend.h"
#include "planner/Plan.h"

#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

namespace imageplan::backends::testing {

inline plan::Layer layer(std::string what, plan::ChangeClass changes, std::vector<plan::Op> ops) {
  plan::Layer l;
  l.what = std::move(what);
  l.changeClass = changes;
  l.ops = std::move(ops);
  return l;
}

/// The instructions of a one-layer, one-stage plan holding `ops`.
inline std::string layerText(std::vector<plan::Op> ops, Dialect dialect = Dialect::BuildKit) {
  plan::Plan p;
  p.specPath = "spec.yaml";
  plan::Stage s;
  s.name = "main";
  s.from = "debian:12";
  s.distro = "debian12";
  s.layers = {layer("step", plan::ChangeClass::Rarely, std::move(ops))};
  p.stages = {s};
  std::string text = emitDockerfile(p, {dialect});
  llvm::StringRef marker = "# step (changes rarely)\n";
  size_t at = text.find(marker.str());
  EXPECT_NE(std::string::npos, at) << text;
  return at == std::string::npos ? text : text.substr(at + marker.size());
}

inline plan::Plan representativePlan() {
  using plan::ChangeClass;
  plan::Plan p;
  p.name = "demo";
  p.specPath = "examples/demo.yaml";

  plan::Stage builder;
  builder.name = "builder";
  builder.from = "python:3.11-slim-bookworm";
  builder.distro = "debian12";
  builder.purpose = "compiles wheels that need a toolchain";
  builder.env = {{"PYTHONDONTWRITEBYTECODE", "1"}, {"PIP_DISABLE_PIP_VERSION_CHECK", "1"}};
  builder.layers.push_back(
      layer("build tools", ChangeClass::Rarely, {plan::SystemInstall{{"build-essential", "git"}}}));
  plan::PipWheel wheels;
  wheels.packages = {"flash-attn==2.5.8", "xformers>=0.0.26"};
  wheels.indexUrls = {"https://download.pytorch.org/whl/cu121", "https://pypi.org/simple"};
  wheels.outDir = "/wheels";
  builder.layers.push_back(layer("wheels", ChangeClass::Sometimes, {wheels}));

  plan::Stage model;
  model.name = "model";
  model.from = "python:3.11-slim-bookworm";
  model.distro = "debian12";
  model.purpose = "downloads model weights";
  model.args = {"HF_ENDPOINT"};
  model.layers.push_back(
      layer("model weights", ChangeClass::Rarely,
            {plan::ModelDownload{"org/demo-7b", "main", "/models/demo-7b", "hf_token"}}));

  plan::Stage runtime;
  runtime.name = "runtime";
  runtime.from = "python:3.11-slim-bookworm";
  runtime.distro = "debian12";
  runtime.purpose = "the image that runs";
  runtime.env = {{"PYTHONUNBUFFERED", "1"}, {"APP_GREETING", "hello $USER"}};
  runtime.pathPrepend = "/opt/venv/bin";
  runtime.layers.push_back(
      layer("system packages and venv", ChangeClass::Rarely,
            {plan::SystemInstall{{"libgl1", "python3-venv"}}, plan::CreateVenv{"python3", "/opt/venv"},
             plan::CreateUser{"app", 10001}}));
  plan::PipInstall pip;
  pip.packages = {"torch==2.3.0", "transformers[torch]>=4.40"};
  pip.requirementFiles = {"requirements.txt"};
  pip.indexUrls = {"https://download.pytorch.org/whl/cu121"};
  pip.wheelStage = "builder";
  pip.wheelDir = "/wheels";
  runtime.layers.push_back(layer("python packages", ChangeClass::Sometimes, {pip}));
  runtime.layers.push_back(
      layer("model weights", ChangeClass::Rarely,
            {plan::CopyStage{"model", "/models/demo-7b", "/models/demo-7b", "app"}}));
  runtime.layers.push_back(layer("application", ChangeClass::Often,
                                 {plan::SetWorkdir{"/app"},
                                  plan::CopyContext{{"app", "pyproject.toml"}, "/app/", "app:app"},
                                  plan::MakeDirs{{"/app/cache", "/app/logs"}, "app"},
                                  plan::RunScript{"compile", "python -m compileall -q /app", {}},
                                  plan::RunScript{"assets",
                                                  "set -x\n"
                                                  "for f in assets/*.json; do\n"
                                                  "  echo \"checking $f\"\n"
                                                  "  python -m json.tool \"$f\" > /dev/null\n"
                                                  "done\n",
                                                  {"assets"}},
                                  plan::SetEnv{{{"APP_MODE", "production"}}}}));
  plan::RuntimeConfig config;
  config.user = "app";
  config.expose = {8000, 9090};
  config.healthcheck = plan::Healthcheck{
      {"python", "-c", "import urllib.request; urllib.request.urlopen(\"http://localhost:8000/\")"},
      "30s",
      "5s",
      "1m",
      3};
  config.entrypoint = {"python", "-m", "app"};
  config.cmd = {"--port", "8000"};
  config.labels = {{"org.opencontainers.image.title", "demo"},
                   {"org.opencontainers.image.description", "A demo \"app\""}};
  runtime.runtime = config;

  p.stages = {builder, model, runtime};
  p.contextPaths = {"requirements.txt", "app/", "pyproject.toml", "assets"};
  return p;
}

} // namespace imageplan::backends::testing
