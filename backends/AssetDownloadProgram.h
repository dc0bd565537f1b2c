// The fixed Python program that downloads an asset in a RUN, checks its
// sha256 and, when asked, unpacks it. Like the model download, it reads its
// parameters from the environment, so no user data is part of its text.
#pragma once

#include "llvm/ADT/ArrayRef.h"

namespace imageplan::backends {

/// The program, one source line per element, without line breaks. No line
/// contains a single quote.
///
/// Environment: IMAGEPLAN_ASSET_URL, IMAGEPLAN_ASSET_SHA256,
/// IMAGEPLAN_ASSET_PATH and IMAGEPLAN_ASSET_UNPACK ("", "zip" or "tar").
llvm::ArrayRef<const char *> assetDownloadProgram();

} // namespace imageplan::backends
