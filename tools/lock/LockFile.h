// imageplan.lock as imageplan writes it: plain data (no source locations),
// rendered byte-stable (sorted, no dates, no paths of this machine) so that
// the same pins and rates give the same bytes on any machine, any day.
#pragma once

#include "dsl/Lock.h"
#include "planner/History.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace imageplan::lock {

struct ImagePin {
  std::string image;
  std::string digest;
  bool byUser = false; // given with --pin: kept when the lock is rewritten
};

struct ModelPin {
  std::string id;
  std::string revision;
  std::string commit;
  bool byUser = false;
};

struct Rates {
  unsigned history = 0; // the window asked for
  size_t commits = 0;   // the commits it held
  double tolerance = dsl::kDefaultRateTolerance;
  std::vector<planner::InputRate> inputs;
};

struct LockData {
  std::vector<ImagePin> images;
  std::vector<ModelPin> models;
  std::optional<Rates> rates;

  const ImagePin *findImage(llvm::StringRef image) const;
  const ModelPin *findModel(llvm::StringRef id, llvm::StringRef revision) const;
};

/// The data of a parsed lock.
LockData fromLock(const dsl::Lock &lock);

/// The lock file's text, with a header naming `specName` (the spec's path
/// relative to the lock, as the user sees it). Images sort by reference,
/// models by id and revision, rates by their paths.
std::string renderLock(const LockData &data, llvm::StringRef specName);

/// `text` as a YAML scalar: plain when it starts with a letter and holds
/// only characters that never mean something to YAML, else double-quoted.
std::string yamlScalar(llvm::StringRef text);

} // namespace imageplan::lock
