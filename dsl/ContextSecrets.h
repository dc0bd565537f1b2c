// Part of checkSpec (Parser.h): warnings for files that look like secrets in
// the folders of the build context that the spec copies or mounts. Internal
// to dsl/.
#pragma once

#include "dsl/Spec.h"
#include "readers/Diagnostics.h"

namespace imageplan::dsl {

/// Warns, once per `copy` or `inputs` entry that is a folder, about the
/// files under it that secretFilePatterns() covers and the spec neither
/// names nor excludes. At most 100,000 entries of the context are looked at.
void warnAboutContextSecrets(readers::DiagnosticEngine &diags, const Spec &spec,
                             llvm::StringRef contextDir);

} // namespace imageplan::dsl
