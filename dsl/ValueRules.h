// What a valid value looks like for each kind of string a spec holds. The rules
// are strict because these strings end up in Dockerfile and shell text: a value
// that could smuggle in an option, a path outside the context or a line break
// is rejected here, at its source location, rather than escaped later.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace imageplan::dsl {

/// A kind of value: `what` names it in messages ("invalid <what> '<value>'; ...")
/// and `check` returns why a value is not acceptable, or "" when it is.
struct ValueRule {
  const char *what;
  std::string (*check)(llvm::StringRef value);
};

namespace rules {
extern const ValueRule imageName;     // name: [a-z0-9][a-z0-9._-]*
extern const ValueRule cudaVersion;   // 11.8, 12.1.1
extern const ValueRule cudnnVersion;  // 8
extern const ValueRule osName;        // ubuntu20.04, ubuntu22.04, ubuntu24.04, ubi8, ubi9
extern const ValueRule baseImage;     // python:3.11-slim, ghcr.io/org/img:1@sha256:<hex>
extern const ValueRule registry;      // nvcr.io/nvidia (a repository name, no tag)
extern const ValueRule digest;        // sha256:<64 hex>
extern const ValueRule pythonVersion; // 3.11
extern const ValueRule pipPackage;    // torch==2.0.1, name @ https://...
extern const ValueRule systemPackage; // libgl1, curl=7.88.1-10, py3-pip, gcc-c++
extern const ValueRule packageManager; // apt, apk, dnf, microdnf
extern const ValueRule indexUrl;      // https://download.pytorch.org/whl/cu118
extern const ValueRule contextPath;   // src/app.py (relative, inside the context)
extern const ValueRule copyPath;      // a context path, or "."
extern const ValueRule imagePath;     // /models/llama (absolute, in the image, not "/")
extern const ValueRule workdir;       // /app (an image path that may be "/")
extern const ValueRule anyPath;       // relative to the workdir, or absolute
extern const ValueRule copyDestination; // the same, for where a copy goes
extern const ValueRule envName;       // HF_HOME
extern const ValueRule labelKey;      // org.opencontainers.image.source
extern const ValueRule userName;      // app
extern const ValueRule modelId;       // org/name
extern const ValueRule revision;      // main, v1.0, a commit
extern const ValueRule secretId;      // hf_token
extern const ValueRule healthUrl;     // /health or http://localhost:8000/health
extern const ValueRule duration;      // 30s, 1m30s, 500ms; 1ms at least
extern const ValueRule stepName;      // [a-z0-9][a-z0-9_-]*
extern const ValueRule stage;         // runtime, builder
extern const ValueRule dialect;       // buildkit, docker20, buildah, legacy
extern const ValueRule cudaFlavor;    // base, runtime, devel, cudnn-runtime, cudnn-devel
extern const ValueRule cudaBuilderFlavor; // devel, cudnn-devel
extern const ValueRule fileMode;      // 0755, 644 (octal, at most 0777)
extern const ValueRule excludePattern; // tests/, **/*.log (a .dockerignore pattern)
extern const ValueRule pythonManager; // pip, uv, poetry
extern const ValueRule venvStage;     // builder, runtime
extern const ValueRule extraName;     // cuda
extern const ValueRule toolVersion;   // 0.5.11
extern const ValueRule pipOption;     // --no-deps (an allow-list)
// GpuValueRules.cpp
extern const ValueRule driverVersion; // 535.104.05 (an NVIDIA driver)
extern const ValueRule cudaArch;      // 8.6, 9.0+PTX (a TORCH_CUDA_ARCH_LIST entry)
// ModelRules.cpp
extern const ValueRule modelImage;    // runtime, or an image like python:3.12-slim
extern const ValueRule downloader;    // huggingface_hub, urllib
extern const ValueRule modelPattern;  // *.safetensors, tokenizer/ (fnmatch, repo-relative)
extern const ValueRule pipInstaller;  // pip, uv
extern const ValueRule pythonEnvironment; // venv, base
extern const ValueRule sha256;        // 64 lowercase hex digits
extern const ValueRule keyFingerprint; // 40 hex digits (an OpenPGP v4 fingerprint)
extern const ValueRule aptSuite;      // jammy, bookworm-updates, ./
extern const ValueRule aptComponent;  // main, contrib
extern const ValueRule assetUrl;      // https://github.com/.../eng.traineddata
extern const ValueRule gitUrl;        // https://github.com/org/repo.git
extern const ValueRule commitId;      // 40 hex digits
extern const ValueRule unpackFormat;  // zip, tar
extern const ValueRule variantValue;  // cpu, cu126
extern const ValueRule condaTool;     // conda, mamba, micromamba
extern const ValueRule indexStrategy; // first-index, unsafe-first-match, unsafe-best-match
extern const ValueRule groupName;     // video
extern const ValueRule shell;         // bash, sh
extern const ValueRule stepNeed;      // system, python
} // namespace rules

/// The milliseconds in a duration written as `rules::duration` reads it (30s,
/// 1m30s, 500ms: integers with h, m, s or ms, at most docker's longest), or
/// nothing for any other text. 0 is returned; the rule refuses it.
std::optional<long long> durationMillis(llvm::StringRef value);

/// Why `value` is not a valid member of `words`, suggesting the closest one.
std::string checkOneOf(llvm::StringRef value, llvm::ArrayRef<llvm::StringRef> words);

/// `value` for a message: quoted, control characters and invalid UTF-8
/// escaped, long values shortened, so a message is always one readable line.
std::string quoteValue(llvm::StringRef value);
/// The same escaping, unquoted and in full, for text from other libraries.
std::string escaped(llvm::StringRef text);

/// Names the first character of `value` no spec string may hold, such as
/// "control character '\t'" or "invalid UTF-8", or returns "" when there is
/// none. `multiline` admits newlines and tabs, for shell scripts.
std::string findForbiddenCharacter(llvm::StringRef value, bool multiline);

} // namespace imageplan::dsl
