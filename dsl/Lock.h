// The typed lock file, imageplan.lock (docs/lock.md): what a spec's image
// tags and model revisions resolved to, and the change rates measured from
// the repository's history. `imageplan lock` and `imageplan tune` write it
// (tools/lock/); gen reads it through parseLock, so the committed Dockerfile
// depends on committed files only.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::dsl {

/// An image reference and the digest it resolved to.
struct LockedImage {
  llvm::SMLoc loc;
  LString image;  // as the plan names it: python:3.12-slim
  LString digest; // sha256:<64 hex>
  bool byUser = false; // `source: user`: given, not resolved; kept on re-lock
};

/// A model revision (a branch or tag) and the commit it resolved to.
struct LockedModel {
  llvm::SMLoc loc;
  LString id;
  LString revision;
  LString commit; // 40 hex
  bool byUser = false;
};

/// The measured change rate of the build-context paths one step reads: in
/// `changed` of the `LockedRates::commits` commits replayed.
struct LockedInput {
  llvm::SMLoc loc;
  std::vector<LString> paths;
  std::vector<LString> exclude; // app.exclude patterns of a copy of "."
  LInt changed;
};

struct LockedRates {
  llvm::SMLoc loc;
  LInt history; // commits asked for (the window)
  LInt commits; // commits the repository had of them
  std::optional<LDouble> tolerance; // how far a re-measured rate may drift
  std::vector<LockedInput> inputs;
};

/// How far, by default, a re-measured rate may differ from the lock's
/// before `gen --check` calls the rates stale.
inline constexpr double kDefaultRateTolerance = 0.05;
inline constexpr const char *kLockFileName = "imageplan.lock";

struct Lock {
  std::string path;
  std::vector<LockedImage> images;
  std::vector<LockedModel> models;
  std::optional<LockedRates> rates;

  const LockedImage *findImage(llvm::StringRef image) const;
  const LockedModel *findModel(llvm::StringRef id, llvm::StringRef revision) const;
  const LockedInput *findInput(llvm::ArrayRef<std::string> paths,
                               llvm::ArrayRef<std::string> exclude) const;
  double tolerance() const;
};

/// Parses buffer `bufferId` of the engine as a lock file named `displayPath`,
/// reporting every problem at its location; the error only carries the count.
llvm::Expected<Lock> parseLock(readers::DiagnosticEngine &diags, unsigned bufferId,
                               llvm::StringRef displayPath);

/// True for a full 40-digit lowercase hex commit id.
bool isCommitId(llvm::StringRef revision);

} // namespace imageplan::dsl
