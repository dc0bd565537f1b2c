// `imageplan init [DIR]`: writes a commented starter spec for a project folder.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace imageplan::driver {

struct InitOptions {
  std::string dir = ".";
  bool force = false; // overwrite an existing imageplan.yaml
};

int runInit(const InitOptions &options, llvm::raw_ostream &out, llvm::raw_ostream &err);

} // namespace imageplan::driver
