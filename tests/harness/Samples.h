// The samples the per-sample suites (tests/invalidation, tests/pins,
// tests/layers) run over: every samples/*/imageplan.yaml, found when the test
// runs, and a gtest parameter name for each. The including test defines
// IMAGEPLAN_SOURCE_DIR (its CMakeLists.txt).
#ifndef IMAGEPLAN_TESTS_HARNESS_SAMPLES_H
#define IMAGEPLAN_TESTS_HARNESS_SAMPLES_H

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace imageplan::testsupport {

/// The folder of every sample, sorted.
inline std::vector<std::string> sampleDirs() {
  std::vector<std::string> dirs;
  std::error_code ec;
  std::string root = IMAGEPLAN_SOURCE_DIR "/samples";
  for (llvm::sys::fs::directory_iterator it(root, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::fs::exists(it->path() + "/imageplan.yaml"))
      dirs.push_back(it->path());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

/// The sample's folder name, as a gtest parameter name (deepseek_ocr).
inline std::string sampleTestName(const ::testing::TestParamInfo<std::string> &info) {
  std::string name = llvm::sys::path::filename(info.param).str();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

} // namespace imageplan::testsupport

#endif // IMAGEPLAN_TESTS_HARNESS_SAMPLES_H
