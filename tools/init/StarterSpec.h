// The starter spec `imageplan init` writes, as a typed value: the comment at
// its top (what was detected, what to review), then the sections of
// imageplan.yaml it fills in. StarterSpec.cpp makes it from ProjectFacts;
// StarterSpecWriter.cpp emits it as YAML with yaml-cpp's emitter.
#pragma once

#include "tools/init/ProjectScan.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::init {

/// A value with what the spec says about it: `comment` at the end of its line,
/// `notes` as comment lines of their own after it.
template <typename T> struct Commented {
  T value{};
  std::string comment{};
  std::vector<std::string> notes{};
};

/// A command of a step's `run:` as plain words (letters, digits, '.', '_',
/// '-', '/'; ProjectScan's plain names), so that its shell text is the words
/// joined by blanks and needs no quoting.
using PlainCommand = std::vector<std::string>;

/// Every member starts empty ({}), so that a designated initializer may leave
/// any of them out.
struct StarterSpec {
  std::vector<std::string> detected{}; // "Detected:" lines of the top comment
  std::vector<std::string> review{};   // "To review:" lines
  std::string name{};

  /// Either a CUDA base (cuda, with cudnn and flavor when known, and os) or an image.
  struct Base {
    std::string cuda{}, cudnn{}, flavor{}, os{};
    std::string image{};
  } base;

  struct System {
    Commented<std::string> manager{};
    std::vector<std::string> packages{};
  };
  std::optional<System> system{};

  /// Empty strings and lists are left out.
  struct Python {
    std::string version{};
    std::string manager{};
    std::string project{};
    std::optional<Commented<bool>> package{};
    std::vector<std::string> extras{}, requirements{}, constraints{};
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

  /// Empty lists are left out.
  struct App {
    std::string workdir{};
    std::vector<std::string> copy{};
    Commented<std::vector<int>> expose{};
    std::vector<std::string> entrypoint{}, cmd{};
  } app;
};

/// The starter spec for `facts`: commented, and accepted by `gen` as it is.
StarterSpec buildStarterSpec(const ProjectFacts &facts);

/// `spec` as the text of imageplan.yaml.
std::string writeStarterSpec(const StarterSpec &spec);

} // namespace imageplan::init
