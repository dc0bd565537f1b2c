// The commands of system-level run operations: package installs for each
// package manager (with their cache mounts and in-layer cleanup), directories
// and the app user.
#include "backends/RunBuilder.h"

#include "backends/ShellQuote.h"

#include "llvm/ADT/StringExtras.h"

namespace imageplan::backends {
namespace {

void aptInstall(RunBuilder &b, const plan::SystemInstall &op) {
  bool listsCached = b.rules().cacheMounts && b.rules().aptListsCache;
  if (b.rules().cacheMounts) {
    b.addCache(AptArchiveCache);
    if (listsCached)
      b.addCache(AptListsCache);
    // Debian and Ubuntu images ship docker-clean, which deletes downloaded
    // .debs after each install and so defeats the cache mount.
    b.command(shellJoin({"rm", "-f", "/etc/apt/apt.conf.d/docker-clean"}));
  }
  b.command(shellJoin({"apt-get", "update"}));
  ShellCommand install{shellAssign("DEBIAN_FRONTEND", "noninteractive") + " " +
                           shellJoin({"apt-get", "install", "-y", "--no-install-recommends"}),
                       {}};
  appendQuotedEach(op.packages, install.args);
  b.push(std::move(install));
  // With the lists in a cache mount they never reach the layer, and deleting
  // them would only make the next build download them again. Without it
  // they (and, with no cache at all, the .debs) are removed in this layer.
  if (!b.rules().cacheMounts)
    b.command(shellJoin({"apt-get", "clean"}));
  if (!listsCached)
    b.command("rm -rf /var/lib/apt/lists/*"); // a glob: fixed text, no data
}

// apk caches only when /etc/apk/cache links to a directory; the link points
// into the cache mount and is removed again, so the image keeps apk's
// default of not caching. Without a cache mount, --no-cache keeps the index
// and the packages out of the layer.
void apkInstall(RunBuilder &b, const plan::SystemInstall &op) {
  ShellCommand install;
  if (!b.rules().cacheMounts) {
    install.head = shellJoin({"apk", "add", "--no-cache"});
  } else {
    b.addCache(ApkCache);
    b.command(shellJoin({"ln", "-sfn", ApkCache.target, "/etc/apk/cache"}));
    install.head = shellJoin({"apk", "add", "--update-cache"});
  }
  appendQuotedEach(op.packages, install.args);
  b.push(std::move(install));
  if (b.rules().cacheMounts)
    b.command(shellJoin({"rm", "/etc/apk/cache"}));
}

// keepcache leaves the downloaded packages in the cache mount for the next
// build; without one, `dnf clean all` removes metadata and packages in the
// same layer.
void dnfInstall(RunBuilder &b, const plan::SystemInstall &op) {
  b.addCache(DnfCache);
  ShellCommand install{shellJoin({"dnf", "install", "-y", "--setopt=install_weak_deps=False",
                                  b.rules().cacheMounts ? "--setopt=keepcache=True" : "--nodocs"}),
                       {}};
  appendQuotedEach(op.packages, install.args);
  b.push(std::move(install));
  if (!b.rules().cacheMounts)
    b.command(shellJoin({"dnf", "clean", "all"}));
}

// microdnf keeps its metadata and packages under /var/cache/yum.
void microdnfInstall(RunBuilder &b, const plan::SystemInstall &op) {
  b.addCache(MicrodnfCache);
  ShellCommand install{
      shellJoin({"microdnf", "install", "-y", "--nodocs", "--setopt=install_weak_deps=0"}), {}};
  appendQuotedEach(op.packages, install.args);
  b.push(std::move(install));
  if (!b.rules().cacheMounts)
    b.command(shellJoin({"microdnf", "clean", "all"}));
}

} // namespace

void emitOp(RunBuilder &b, const plan::SystemInstall &op) {
  switch (op.manager) {
  case plan::PackageManager::Apt: return aptInstall(b, op);
  case plan::PackageManager::Apk: return apkInstall(b, op);
  case plan::PackageManager::Dnf: return dnfInstall(b, op);
  case plan::PackageManager::Microdnf: return microdnfInstall(b, op);
  }
}

// The key was fetched by the engine (FetchUrl). Pinned by sha256, the file
// is checked and made readable for apt's unprivileged _apt user; pinned by
// fingerprint, gpg exports that key alone into the keyring apt reads, so
// that nothing else a keyserver sent is trusted. Then the deb822 entry.
void emitOp(RunBuilder &b, const plan::AptSource &op) {
  if (!op.keySha256.empty()) {
    b.command(shellJoin({"echo", op.keySha256 + "  " + op.keyFile}) + " | " +
              shellJoin({"sha256sum", "--check", "--quiet", "-"}));
    b.command(shellJoin({"chmod", "0644", op.keyFile}));
  } else {
    std::string home = scratchPath("gnupg");
    // /etc/apt/keyrings is new in apt 2.4 (Ubuntu 22.04, Debian 12).
    b.command(shellJoin({"install", "-d", "-m", "0700", home}));
    b.command(shellJoin({"mkdir", "-p", llvm::StringRef(op.signedBy).rsplit('/').first}));
    // --no-autostart: public keys need no gpg-agent, which Debian's gpg
    // package only recommends.
    b.command(shellJoin({"gpg", "--homedir", home, "--batch", "--no-autostart", "--quiet",
                         "--import", op.keyFile}));
    b.command(shellJoin({"gpg", "--homedir", home, "--batch", "--no-autostart", "--export",
                         op.fingerprint}) +
              " > " + shellQuote(op.signedBy));
    // gpg exports nothing, and succeeds, when the key is not there.
    b.command(shellJoin({"test", "-s", op.signedBy}));
    b.command(shellJoin({"chmod", "0644", op.signedBy}));
    b.command(shellJoin({"rm", "-rf", home, op.keyFile}));
  }
  std::string content =
      "Types: deb\nURIs: " + op.uri + "\nSuites: " + llvm::join(op.suites, " ") + "\n";
  if (!op.components.empty())
    content += "Components: " + llvm::join(op.components, " ") + "\n";
  content += "Signed-By: " + op.signedBy + "\n";
  b.writeFile("/etc/apt/sources.list.d/" + op.name + ".sources", content, "0644");
}

void emitOp(RunBuilder &b, const plan::MakeDirs &op) {
  std::vector<llvm::StringRef> mkdir = {"mkdir", "-p"};
  mkdir.insert(mkdir.end(), op.paths.begin(), op.paths.end());
  b.command(shellJoin(mkdir));
  if (op.owner.empty())
    return;
  std::string owner = op.owner + ":" + op.owner;
  std::vector<llvm::StringRef> chown = {"chown", owner};
  chown.insert(chown.end(), op.paths.begin(), op.paths.end());
  b.command(shellJoin(chown));
}

void emitOp(RunBuilder &b, const plan::CreateUser &op) {
  std::string uid = std::to_string(op.uid), gid = std::to_string(op.gid);
  std::string home = "/home/" + op.name;
  if (op.busybox) {
    // busybox: -S system account, -D no password; the home is created.
    // Its addgroup has no --force: a group the image lacks is made first.
    for (const std::string &group : op.groups)
      b.command("(" + shellJoin({"grep", "-q", "^" + group + ":", "/etc/group"}) + " || " +
                shellJoin({"addgroup", "-S", group}) + ")");
    b.command(shellJoin({"addgroup", "-S", "-g", gid, op.name}));
    b.command(shellJoin({"adduser", "-S", "-D", "-u", uid, "-G", op.name, "-h", home, "-s",
                         "/sbin/nologin", op.name}));
    for (const std::string &group : op.groups)
      b.command(shellJoin({"addgroup", op.name, group}));
    return;
  }
  // --force: succeed when the image has the group already (video, render).
  for (const std::string &group : op.groups)
    b.command(shellJoin({"groupadd", "--force", "--system", group}));
  b.command(shellJoin({"groupadd", "--system", "--gid", gid, op.name}));
  std::vector<llvm::StringRef> useradd = {"useradd", "--system", "--uid", uid, "--gid", op.name};
  std::string groups = llvm::join(op.groups, ",");
  if (!op.groups.empty()) {
    useradd.push_back("--groups");
    useradd.push_back(groups);
  }
  useradd.insert(useradd.end(), {"--create-home", "--home-dir", home, "--shell",
                                 "/usr/sbin/nologin", op.name});
  b.command(shellJoin(useradd));
}

} // namespace imageplan::backends
