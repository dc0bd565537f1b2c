// The starter spec `imageplan init` writes, as a typed value: the comment at
// its top (what was detected, what could not be carried from the Dockerfile,
// what to review), then the sections of imageplan.yaml it fills in.
// StarterSpec.cpp makes it from ProjectFacts; StarterSpecWriter.cpp emits it as
// YAML with yaml-cpp's emitter.
#pragma once

#include "tools/init/ProjectScan.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imageplan::init {

/// A value with what the spec says about it at the end of its line.
template <typename T> struct Commented {
  T value{};
  std::string comment{};
};

/// A command of a step's `run:` as plain words (letters, digits, '.', '_',
/// '-', '/'; ProjectScan's plain names), so that its shell text is the words
/// joined by blanks and needs no quoting.
using PlainCommand = std::vector<std::string>;

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// Every member starts empty ({}), so that a designated initializer may leave
/// any of them out.
struct StarterSpec {
  std::vector<std::string> detected{};   // "Detected:" lines of the top comment
  std::string notCarriedFrom{};          // the Dockerfile the next lines are about
  std::vector<std::string> notCarried{}; // one line each, starting with file:line
  std::vector<std::string> review{};     // "To review:" lines
  std::string name{};
  Pairs labels{};

  /// Either a CUDA base (cuda, with cudnn and flavor when known, and os) or an image.
  struct Base {
    std::string cuda{}, cudnn{}, flavor{}, os{}, registry{};
    std::string image{};
  } base;

  struct System {
    std::optional<Commented<std::string>> manager{};
    std::vector<std::string> packages{}, buildPackages{};
  };
  std::optional<System> system{};

  /// Empty strings and lists are left out.
  struct Python {
    std::string version{};
    std::string manager{};
    std::string project{};
    std::optional<Commented<bool>> package{};
    std::vector<std::string> extras{}, indexUrls{}, packages{}, requirements{}, constraints{};
    std::vector<std::string> buildRequires{}, build{}; // a torch extension compiled in the builder
  } python;

  struct Step {
    std::string name{};
    std::vector<std::string> after{}, inputs{};
    std::vector<PlainCommand> run{}; // joined by &&
    std::string changes{};           // "" is left out
  };
  struct Export {
    std::string from{}, to{};
  };
  struct Stage {
    std::string name{}, image{}, workdir{};
    std::vector<Step> steps{};
    std::vector<Export> exports{};
  };
  std::vector<Stage> stages{};

  struct Artifact {
    std::string image{}, from{}, to{};
  };
  std::vector<Artifact> artifacts{};

  struct File {
    std::string path{}, mode{}, content{};
  };
  std::vector<File> files{};

  /// An HTTP probe (http, with port when it is not the first exposed one) or
  /// a command; empty durations and a zero port or retries are left out.
  struct Healthcheck {
    std::string http{};
    int port = 0;
    std::vector<std::string> cmd{};
    std::string interval{}, timeout{}, startPeriod{};
    int retries = 0;
  };

  /// Empty lists are left out.
  struct App {
    std::string workdir{};
    std::vector<std::string> copy{}, exclude{}, dirs{};
    Pairs env{};
    std::optional<Commented<std::string>> user{};
    std::vector<int> expose{};
    std::optional<Healthcheck> healthcheck{};
    std::vector<std::string> entrypoint{}, cmd{};
  } app;
};

/// The starter spec for `facts`: commented, and accepted by `gen` as it is.
StarterSpec buildStarterSpec(const ProjectFacts &facts);

/// `spec` as the text of imageplan.yaml.
std::string writeStarterSpec(const StarterSpec &spec);

} // namespace imageplan::init
