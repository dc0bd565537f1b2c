// The spec against the compatibility table (CompatTable.h): the torch pin
// against the CUDA base, the Python version and the index; torchvision,
// torchaudio and xformers against torch; the CUDA release against the
// driver it must run on. Each problem is reported where the spec says what
// to change, with the value that would fit. Also the defaults derived from
// the table: the PyTorch index for a pinned torch on a CUDA base.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::dsl {

/// Reports every combination the table rules out.
void checkCompatibility(readers::DiagnosticEngine &diags, const Spec &spec);

/// The Python the base ships, and the name of its distribution for
/// messages ("ubuntu22.04", "python image"); nothing when unknown.
struct ShippedPython {
  std::string version;
  std::string distro;
};
std::optional<ShippedPython> shippedPython(const BaseSpec &base);

/// The Python the venv runs: `python.version`, else what the base ships;
/// "" when neither is known.
std::string effectivePython(const Spec &spec);

/// The index torch comes from when the spec names none: with a CUDA base
/// and a torch release the table knows pinned in `packages` (directly, or
/// through its torchvision or torchaudio), PyTorch's index for the wheel tag
/// that fits the base (https://download.pytorch.org/whl/cu118), then PyPI
/// for everything else. Empty otherwise, and whenever `index_urls` is set.
std::vector<std::string> defaultIndexUrls(const Spec &spec);

} // namespace imageplan::dsl
