// The embedded compatibility table: it parses, it is consistent (sorted,
// every torch release's domain libraries and CUDA tags known, every xformers
// pin a torch release), and its lookups answer as the checks expect.
#include "dsl/CompatTable.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

namespace imageplan::dsl::compat {
namespace {

TEST(CompatTableTest, TheEmbeddedTableParses) {
  EXPECT_EQ(tableError(), "");
  const Table &t = table();
  EXPECT_FALSE(t.torch.empty());
  EXPECT_FALSE(t.cuda.empty());
  EXPECT_FALSE(t.archs.empty());
  EXPECT_FALSE(t.defaultArchs.empty());
  EXPECT_FALSE(t.extensions.empty());
  EXPECT_FALSE(t.xformers.empty());
  EXPECT_FALSE(t.distroPython.empty());
}

TEST(CompatTableTest, VersionsCompareAsNumbers) {
  EXPECT_LT(compareVersions("2.9", "2.10"), 0);
  EXPECT_EQ(compareVersions("11.8", "11.8.0"), 0);
  EXPECT_GT(compareVersions("12.4.1", "12.4"), 0);
  EXPECT_GT(compareVersions("0.0.22.post7", "0.0.22"), 0);
  EXPECT_EQ(majorMinor("12.4.1"), "12.4");
  EXPECT_EQ(cudaWheelTag("11.8"), "cu118");
  EXPECT_EQ(cudaWheelTag("12.4.1"), "cu124");
  EXPECT_EQ(joinWithAnd({"a"}), "a");
  EXPECT_EQ(joinWithAnd({"a", "b"}), "a and b");
  EXPECT_EQ(joinWithAnd({"a", "b", "c"}), "a, b and c");
}

TEST(CompatTableTest, EveryListIsSortedAndEveryReferenceResolves) {
  const Table &t = table();
  for (size_t i = 1; i < t.torch.size(); ++i)
    EXPECT_LT(compareVersions(t.torch[i - 1].version, t.torch[i].version), 0) << t.torch[i].version;
  for (size_t i = 1; i < t.cuda.size(); ++i) {
    EXPECT_LT(compareVersions(t.cuda[i - 1].version, t.cuda[i].version), 0) << t.cuda[i].version;
    EXPECT_LE(compareVersions(t.cuda[i - 1].driver, t.cuda[i].driver), 0) << t.cuda[i].version;
  }
  for (const TorchRelease &release : t.torch) {
    EXPECT_FALSE(release.cuda.empty()) << release.version;
    EXPECT_LE(compareVersions(release.pythonMin, release.pythonMax), 0) << release.version;
    EXPECT_EQ(torchForDomain("torchvision", release.torchvision), &release) << release.version;
    EXPECT_EQ(torchForDomain("torchaudio", release.torchaudio), &release) << release.version;
    for (const std::string &cuda : release.cuda) {
      if (compareVersions(cuda, "11.0") < 0)
        continue; // the driver table starts at CUDA 11
      EXPECT_NE(findCuda(cuda), nullptr) << release.version << " cu" << cuda;
    }
  }
  for (const XformersPin &pin : t.xformers)
    EXPECT_NE(findTorch(pin.torch), nullptr) << "xformers " << pin.version;
  for (const DefaultArchs &entry : t.defaultArchs)
    for (const std::string &arch : entry.archs) {
      const ArchSupport *support = findArch(arch);
      ASSERT_NE(support, nullptr) << arch;
      EXPECT_GE(compareVersions(entry.cuda, support->since), 0) << arch << " from " << entry.cuda;
    }
}

TEST(CompatTableTest, Lookups) {
  ASSERT_NE(findTorch("2.0.1"), nullptr);
  EXPECT_EQ(findTorch("2.0.1")->cuda, (std::vector<std::string>{"11.7", "11.8"}));
  EXPECT_EQ(findTorch("2.0.1")->torchvision, "0.15.2");
  EXPECT_EQ(findTorch("9.9.9"), nullptr);
  ASSERT_NE(findCuda("11.8"), nullptr);
  EXPECT_EQ(findCuda("11.8")->driver, "520.61.05");
  // An unlisted patch takes the newest listed one before it.
  ASSERT_NE(findCuda("12.4.7"), nullptr);
  EXPECT_EQ(findCuda("12.4.7")->version, "12.4.1");
  EXPECT_EQ(findCuda("11.9"), nullptr);
  ASSERT_NE(findExtension("flash-attn", "2.3.6"), nullptr);
  EXPECT_EQ(findExtension("flash-attn", "2.3.6")->cuda, "11.6");
  EXPECT_EQ(findExtension("flash-attn", "2.7.4")->cuda, "11.7");
  EXPECT_EQ(findExtension("flash-attn", "1.0.9"), nullptr);
  EXPECT_NE(findExtension("flash-attn", ""), nullptr);
  EXPECT_EQ(findExtension("numpy", ""), nullptr);
  EXPECT_EQ(pythonImageVersion("python:3.11-slim"), "3.11");
  EXPECT_EQ(pythonImageVersion("docker.io/library/python:3.12.4-bookworm"), "3.12");
  EXPECT_EQ(pythonImageVersion("debian:bookworm-slim"), "");
  ASSERT_NE(distroPythonOf("nvidia/cuda:12.1.1-runtime-ubuntu22.04"), nullptr);
  EXPECT_EQ(distroPythonOf("ubuntu22.04")->python, "3.10");
  EXPECT_EQ(distroPythonOf("debian:bookworm-slim")->python, "3.11");
  EXPECT_EQ(defaultArchsFor("11.8"),
            (std::vector<std::string>{"7.0", "7.5", "8.0", "8.6", "8.9", "9.0+PTX"}));
  EXPECT_EQ(findArch("9.0+PTX")->since, "11.8");
}

TEST(CompatTableTest, AMalformedTableIsRefusedWithAReason) {
  std::string error;
  EXPECT_FALSE(parseTable("torch: {}\n", error));
  EXPECT_NE(error, "");
  error.clear();
  EXPECT_FALSE(parseTable("[unclosed", error));
  EXPECT_NE(error, "");
}

} // namespace
} // namespace imageplan::dsl::compat
