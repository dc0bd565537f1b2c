// The secrets policy: a spec is committed, reviewed and compiled into text
// that ends up in an image, its history and its build logs, so no string of
// it may be a credential. These functions recognise what credentials look
// like (docs/security.md lists the shapes); YamlReader asks them about every
// string it reads, and the error says how to pass the credential instead.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace imageplan::dsl {

/// What `value` holds that looks like a credential, as a phrase for a
/// message ("a Hugging Face token", "a password in a URL", "a private key"),
/// or nothing. Known token shapes count anywhere in the value, at a word
/// boundary; a URL's password counts unless it is a variable (`$TOKEN`).
std::optional<std::string> findCredential(llvm::StringRef value);

/// True when a key names a secret: one of its words (split at '_', '.', '-'
/// and lower-to-upper case changes) is token, password, secret, key, ...
bool namesSecret(llvm::StringRef key);

/// True when `value` looks randomly generated: at least 12 bytes, no
/// whitespace, at least two of lowercase, uppercase and digits, and at least
/// 3 bits of entropy per character; paths, URLs and `$VARIABLES` never do.
bool looksRandom(llvm::StringRef value);

/// Files that hold credentials by convention, as .dockerignore patterns
/// (`**/.env*`, `**/*.pem`, `**/id_rsa*`, `**/.ssh`, ...): the generated
/// .dockerignore leaves them out of the build context unless the spec names
/// one, and checkSpec warns about those it finds in copied folders.
llvm::ArrayRef<llvm::StringLiteral> secretFilePatterns();

/// How to pass a credential instead of writing it under the spec key
/// `field` ("env", "index_urls", "run", ...), for the end of a message.
std::string credentialAdvice(llvm::StringRef field);

} // namespace imageplan::dsl
