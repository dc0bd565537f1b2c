// The fixture of init's tests: a project folder written into a temporary
// folder, file by file, and scanned as `imageplan init` scans it.
#pragma once

#include "tools/init/ProjectScan.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imageplan::init {

using Words = std::vector<std::string>;

class ProjectScanTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("imageplan-init-test", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name, llvm::StringRef text) {
    llvm::SmallString<128> file(dir);
    llvm::sys::path::append(file, name);
    ASSERT_FALSE(llvm::sys::fs::create_directories(llvm::sys::path::parent_path(file)));
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    os << text;
  }

  ProjectFacts scan() {
    llvm::Expected<ProjectFacts> facts = scanProject(dir);
    if (!facts) {
      ADD_FAILURE() << llvm::toString(facts.takeError());
      return ProjectFacts();
    }
    return std::move(*facts);
  }

  llvm::SmallString<128> dir;
};

} // namespace imageplan::init
