// Loads spec text with yaml-cpp into a node tree, turning every way that can
// fail (text over a limit or not YAML text at all, malformed YAML, more than
// one document) into a diagnostic at its location. The text is measured by
// YamlPrescan first. No yaml-cpp exception leaves this file.
#pragma once

#include "dsl/YamlReader.h"

#include <optional>

namespace imageplan::dsl {

/// The tree of the first YAML document in the reader's buffer: a Null node
/// when there is none. Returns std::nullopt when the text is not valid YAML.
/// A second document is reported, and the first is still returned.
std::optional<YAML::Node> loadSingleDocument(YamlReader &reader);

/// yaml-cpp's message in LLVM style: escaped, lowercase start (unless it is
/// an acronym such as "YAML"), no trailing period.
std::string yamlMessage(const YAML::Exception &e);

} // namespace imageplan::dsl
