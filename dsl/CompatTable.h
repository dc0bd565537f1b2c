// The compatibility table (dsl/compat.yaml, embedded at build time) as typed
// records: PyTorch releases and their CUDA wheel tags and Python versions,
// CUDA releases and the driver each needs, GPU architectures per CUDA
// release, packages compiled against torch, xformers' torch pins, and the
// Python each distribution ships. Read once; the checks in CompatCheck.h and
// the planner's defaults both ask here.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::dsl::compat {

/// Compares dotted versions component by component as numbers ("2.10" >
/// "2.9", "11.8" == "11.8.0"); a component that is not a number compares as
/// its text. Negative, zero or positive like strcmp.
int compareVersions(llvm::StringRef a, llvm::StringRef b);
/// "12.4.1" -> "12.4".
std::string majorMinor(llvm::StringRef version);
/// "a", "a and b", "a, b and c": versions or names in a message.
std::string joinWithAnd(const std::vector<std::string> &items);
/// "11.8" -> "cu118", the tag of PyTorch's wheels and index for that CUDA.
std::string cudaWheelTag(llvm::StringRef cudaVersion);

struct TorchRelease {
  std::string version;
  std::vector<std::string> cuda; // CUDA versions of its wheel tags, oldest first
  std::string pythonMin, pythonMax;
  std::string torchvision, torchaudio;
};

struct CudaRelease {
  std::string version; // three components: 12.4.1
  std::string driver;  // the oldest Linux driver it needs
};

struct ArchSupport {
  std::string arch;  // 8.6
  std::string since; // the first CUDA release that compiles for it
  std::string until; // the first that no longer does; "" for none
};

struct DefaultArchs {
  std::string cuda; // from this CUDA release on
  std::vector<std::string> archs;
};

/// A package compiled against the venv's torch (flash-attn, xformers), for
/// the versions in [from, below).
struct TorchExtension {
  std::string name;
  std::string from, below; // "" for open
  std::string cuda;        // the oldest nvcc it builds with; "" unchecked
  std::string torch;       // the oldest torch; "" unchecked
  std::vector<std::string> buildRequires;
  std::string minArch;     // the oldest GPU architecture it runs on; "" any
  std::string archEnv;     // its own architecture variable; "" for none
  bool sdist = false;      // no wheels on PyPI: `pip install` compiles it
};

struct XformersPin {
  std::string version;
  std::string torch;
};

struct DistroPython {
  std::string marker, distro, python;
};

struct Table {
  std::vector<TorchRelease> torch;
  std::vector<CudaRelease> cuda;
  std::vector<ArchSupport> archs;
  std::vector<DefaultArchs> defaultArchs;
  std::vector<TorchExtension> extensions;
  std::vector<XformersPin> xformers;
  std::vector<DistroPython> distroPython;
};

/// The embedded table, parsed on first use. Empty when the embedded text
/// could not be read (tableError() says why; CompatTableTest checks it can).
const Table &table();
const std::string &tableError();
/// Parses table text in compat.yaml's format; nothing, with `error` set, when
/// it does not hold one.
std::optional<Table> parseTable(llvm::StringRef text, std::string &error);

const TorchRelease *findTorch(llvm::StringRef version);
/// The release of a torchvision or torchaudio version (`domain` names which).
const TorchRelease *torchForDomain(llvm::StringRef domain, llvm::StringRef version);
/// The CUDA release `version` names: itself, or for "11.8" its GA 11.8.0;
/// for an unlisted patch of a listed minor, the newest listed patch before it.
const CudaRelease *findCuda(llvm::StringRef version);
/// The torch extension covering `name` at `version` ("" for any version).
const TorchExtension *findExtension(llvm::StringRef name, llvm::StringRef version);
const XformersPin *findXformers(llvm::StringRef version);
/// The Python of an official python image, from its tag: python:3.11-slim
/// -> "3.11"; "" for another image or a tag without a version.
std::string pythonImageVersion(llvm::StringRef image);
/// The Python the distribution named in `imageOrOs` ships, by marker.
const DistroPython *distroPythonOf(llvm::StringRef imageOrOs);
const ArchSupport *findArch(llvm::StringRef arch);
/// The default TORCH_CUDA_ARCH_LIST entries for a CUDA version.
std::vector<std::string> defaultArchsFor(llvm::StringRef cudaVersion);

} // namespace imageplan::dsl::compat
