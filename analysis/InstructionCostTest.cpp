// Tests for the score's cost table: what each kind of command costs, and the
// short descriptions reports print.
#include "analysis/InstructionCost.h"

#include "readers/TestSupport.h"

#include <gtest/gtest.h>

namespace imageplan::analysis {
namespace {

class EstimateTest : public ::testing::Test {
protected:
  /// The estimate for the last instruction of `text`, a one-stage Dockerfile body.
  InstructionEstimate estimate(llvm::StringRef body) {
    std::string text = "FROM base AS builder\nFROM debian\n" + body.str() + "\n";
    unsigned id = diags.engine().addBuffer(text, "Dockerfile");
    llvm::Expected<readers::Dockerfile> file = readers::parseDockerfile(diags.engine(), id);
    if (!file) {
      llvm::consumeError(file.takeError());
      ADD_FAILURE() << diags.output();
      return {};
    }
    return estimateInstruction(file->stages.back().instructions.back());
  }
  void expectEstimate(llvm::StringRef body, double seconds, llvm::StringRef summary) {
    InstructionEstimate e = estimate(body);
    EXPECT_DOUBLE_EQ(e.seconds, seconds) << body.str();
    EXPECT_EQ(e.summary, summary.str()) << body.str();
  }
  readers::testing::CapturedDiagnostics diags;
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
  expectEstimate("RUN python3 -m venv /opt/venv && uv pip install -e .",
                 5 + 5 + 3, "RUN venv, pip install (1)");
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
  // Unrecognised commands cost a flat amount once per RUN.
  expectEstimate("RUN make -C native && make -C native install && python -m app --self-test",
                 10, "RUN make, python -m app");
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
  expectEstimate("RUN bash ./build.sh", 10, "RUN bash");
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
