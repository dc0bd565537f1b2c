// Value rules of the GPU settings (ValueRules.h): an NVIDIA driver version
// and a GPU architecture as TORCH_CUDA_ARCH_LIST writes it. Both end up in
// shell text or comparisons, so they are digits and dots only.
#include "dsl/ValueRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace imageplan::dsl {
namespace {

bool allDigits(llvm::StringRef s) { return !s.empty() && llvm::all_of(s, llvm::isDigit); }

std::string checkDriverVersion(llvm::StringRef v) {
  llvm::SmallVector<llvm::StringRef, 4> parts;
  v.split(parts, '.');
  if (parts.size() > 3 || !llvm::all_of(parts, allDigits))
    return "expected an NVIDIA driver version like '535.104.05' or '550'";
  return "";
}

/// `8.6`, `9.0a`, `9.0+PTX`: a compute capability, an optional
/// architecture-specific `a`, and optional `+PTX`.
std::string checkCudaArch(llvm::StringRef v) {
  llvm::StringRef arch = v;
  arch.consume_back("+PTX");
  arch.consume_back("a");
  auto [major, minor] = arch.split('.');
  if (!allDigits(major) || minor.size() != 1 || !allDigits(minor))
    return "expected a compute capability like '8.6' or '9.0+PTX'";
  return "";
}

} // namespace

namespace rules {
const ValueRule driverVersion{"driver version", checkDriverVersion};
const ValueRule cudaArch{"GPU architecture", checkCudaArch};
} // namespace rules

} // namespace imageplan::dsl
