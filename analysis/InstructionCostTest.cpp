// Tests for the score's cost table: what each kind of command costs, and the
// short descriptions reports print.
#include "analysis/InstructionCost.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

class EstimateTest : public ::testing::Test {
protected:
  /// The estimate for the last instruction of `text`, a one-stage Dockerfile
  /// body, with the stage's context as its earlier instructions left it.
  InstructionEstimate estimate(llvm::StringRef body) {
    std::string text = "FROM base AS builder\nFROM debian\n" + body.str() + "\n";
    unsigned id = diags.engine().addBuffer(text, "Dockerfile");
    llvm::Expected<readers::Dockerfile> file = readers::parseDockerfile(diags.engine(), id);
    if (!file) {
      llvm::consumeError(file.takeError());
      ADD_FAILURE() << diags.output();
      return {};
    }
    CostContext context;
    context.readFile = [this](llvm::StringRef path) -> std::optional<std::string> {
      for (const auto &[name, text] : contextFiles)
        if (name == path)
          return text;
      return std::nullopt;
    };
    const std::vector<readers::DockerfileInstruction> &insts = file->stages.back().instructions;
    for (size_t i = 0; i + 1 < insts.size(); ++i)
      context.paths.apply(insts[i]);
    return estimateInstruction(insts.back(), context);
  }
  void expectEstimate(llvm::StringRef body, double seconds, llvm::StringRef summary) {
    InstructionEstimate e = estimate(body);
    EXPECT_DOUBLE_EQ(e.seconds, seconds) << body.str();
    EXPECT_EQ(e.summary, summary.str()) << body.str();
  }
  readers::testing::CapturedDiagnostics diags;
  /// The build context's files the estimates may read.
  std::vector<std::pair<std::string, std::string>> contextFiles;
};

TEST_F(EstimateTest, SystemPackages) {
  expectEstimate("RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "
                 "--no-install-recommends -o Dpkg::Options::=x curl git ca-certificates "
                 "&& rm -rf /var/lib/apt/lists/*",
                 10 + 3 * 2, "RUN apt-get update, apt-get install (3)");
  expectEstimate("RUN apk add --no-cache bash", 10 + 2, "RUN apk add (1)");
}

TEST_F(EstimateTest, PythonPackages) {
  expectEstimate("RUN pip install --index-url https://x torch==2.0.1 numpy",
                 5 + 120 + 8, "RUN pip install (2)");
  expectEstimate("RUN python3 -m pip install --no-cache-dir -r requirements.txt",
                 5 + 60, "RUN pip install -r requirements.txt");
  // flash-attn compiles on install unless prebuilt wheels are offered.
  expectEstimate("RUN pip install flash-attn==2.3.6 --no-build-isolation",
                 5 + 1800, "RUN pip install (1)");
  expectEstimate("RUN --mount=type=bind,from=builder,source=/wheels,target=/w \\\n"
                 "    pip install --find-links /w flash-attn==2.3.6",
                 5 + 3, "RUN pip install (1)");
  expectEstimate("RUN pip wheel --no-deps --wheel-dir /wheels flash-attn==2.3.6 einops",
                 5 + 1800 + 600, "RUN pip wheel (2)");
  // A project installs its declared dependencies, as a requirements file would.
  expectEstimate("RUN python3 -m venv /opt/venv && uv pip install -e .",
                 5 + 5 + 60 + 5, "RUN venv, pip install .");
  expectEstimate("RUN pip install --no-deps /app/.[gpu] wheel.whl", 5 + 5 + 3,
                 "RUN pip install /app/.[gpu] (1)");
  expectEstimate("RUN python setup.py install", 5 + 60 + 5, "RUN setup.py install");
  // Lock-file installs cost what the plan charges for them.
  expectEstimate("RUN uv sync --frozen && poetry install --no-root", 90 + 90,
                 "RUN uv sync, poetry install");
  expectEstimate("RUN [\"pip\", \"install\", \"-r\", \"/tmp/req/requirements.txt\"]",
                 65, "RUN pip install -r requirements.txt");
}

TEST_F(EstimateTest, ModelsUsersAndOtherWork) {
  expectEstimate("RUN python3 -c \"from huggingface_hub import snapshot_download; "
                 "snapshot_download('org/model', local_dir='/models/m')\"",
                 600, "RUN model download");
  expectEstimate("RUN huggingface-cli download org/model --local-dir /m", 600,
                 "RUN model download");
  expectEstimate("RUN groupadd app && useradd -g app app", 1, "RUN groupadd, useradd");
  expectEstimate("RUN mkdir -p uploads && chown app uploads", 1,
                 "RUN mkdir -p uploads && chown app uploads");
  // Unrecognised commands cost a flat amount once per RUN; make without a
  // Makefile to read is a conservative dependency install (BuildTools below).
  expectEstimate("RUN cmake -S native -B out && python -m app --self-test", 10,
                 "RUN cmake, python -m app");
  expectEstimate("RUN make -C native && make -C native install && python -m app --self-test",
                 90 + 90 + 10, "RUN make, make install, python -m app");
  expectEstimate("RUN <<EOF\ncurl -fsSL https://example.com/x -o x\nnpm ci\nEOF", 5 + 30,
                 "RUN curl, npm ci");
}

TEST_F(EstimateTest, ShellScriptsAreLookedInto) {
  // Custom steps as imageplan writes them, and as people write them.
  expectEstimate("RUN bash -euo pipefail -c 'cd frontend && npm ci --no-audit'", 30,
                 "RUN npm ci");
  expectEstimate("RUN bash -euo pipefail -c \"$(printf '%s\\n' \\\n"
                 "        'git clone https://example.com/x.git x' \\\n"
                 "        'pip install -r x/requirements.txt' \\\n"
                 "        )\"",
                 10 + 65, "RUN git clone, pip install -r requirements.txt");
  expectEstimate("RUN sh -c 'apt-get update'", 10, "RUN apt-get update");
}

TEST_F(EstimateTest, BuildToolsArePricedByWhatTheyRun) {
  contextFiles = {{"Makefile", ".PHONY: install\n"
                               "install: system deps\n"
                               "system:\n"
                               "\tapt-get update && apt-get install -y libpq5 curl\n"
                               "deps:\n"
                               "\t$(MAKE) -C native\n"
                               "\tpip install -r requirements.txt\n"},
                  {"native/Makefile", "all:\n\tcc -O2 -o tool tool.c\n"},
                  {"scripts/setup.sh", "#!/bin/sh\nset -e\npip install torch==2.1.0\n"}};
  // COPY . . puts the Makefile in /app; `make install` runs system, then
  // deps, which runs make in native/ (a compiler: unknown work, once).
  expectEstimate("WORKDIR /app\nCOPY . .\nRUN make install",
                 10 + 2 * 2 + 5 + 60 + 10,
                 "RUN make install: apt-get update, apt-get install (2), ma...");
  expectEstimate("WORKDIR /app\nCOPY scripts/setup.sh /tmp/\nRUN bash -e /tmp/setup.sh",
                 5 + 120, "RUN setup.sh: pip install (1)");
  expectEstimate("WORKDIR /app\nRUN --mount=type=bind,source=scripts,target=/s ./../s/setup.sh",
                 5 + 120, "RUN setup.sh: pip install (1)");
}

TEST_F(EstimateTest, BuildToolsThatCannotBeReadAreConservative) {
  contextFiles = {{"Makefile", "all:\n\techo hi\n"}};
  InstructionEstimate make = estimate("WORKDIR /app\nCOPY Makefile ./\nRUN make install");
  EXPECT_DOUBLE_EQ(make.seconds, 90);
  EXPECT_EQ(make.notes, (std::vector<std::string>{
                            "make install: no rule for 'install' in the context's Makefile; "
                            "priced like a dependency install (90 s)"}));
  InstructionEstimate missing = estimate("RUN make -C /opt/tool");
  EXPECT_DOUBLE_EQ(missing.seconds, 90);
  EXPECT_EQ(missing.notes, (std::vector<std::string>{
                               "make: no Makefile from the build context in /opt/tool; priced "
                               "like a dependency install (90 s)"}));
  InstructionEstimate script = estimate("RUN bash ./build.sh");
  EXPECT_DOUBLE_EQ(script.seconds, 90);
  EXPECT_EQ(script.summary, "RUN build.sh");
  EXPECT_EQ(script.notes, (std::vector<std::string>{
                              "build.sh: not a file from the build context; priced like a "
                              "dependency install (90 s)"}));
  expectEstimate("RUN just install", 90, "RUN just install");
  // A program of the image is unknown work, as before.
  expectEstimate("RUN /usr/local/bin/tool --init", 10, "RUN tool");
}

TEST_F(EstimateTest, CopiesAndMetadata) {
  expectEstimate("COPY . .", 2, "COPY . -> .");
  expectEstimate("COPY --link --from=builder /opt/native /opt/native", 5,
                 "COPY --from=builder /opt/native -> /opt/native");
  expectEstimate("ADD https://huggingface.co/org/m/resolve/main/w.bin /m/", 600,
                 "ADD https://huggingface.co/org/m/resolve/main/w.bin -> /m/");
  expectEstimate("ADD https://example.com/tool.tgz /opt/", 5,
                 "ADD https://example.com/tool.tgz -> /opt/");
  expectEstimate("ENV A=1", 0, "ENV A=1");
  expectEstimate("COPY a-rather-long-file-name.txt another-rather-long-name.txt /destination/",
                 2, "COPY a-rather-long-file-name.txt another-rather-long-name...");
}

} // namespace
} // namespace imageplan::analysis
