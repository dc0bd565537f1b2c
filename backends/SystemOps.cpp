// The commands of system-level run operations: package installs for each
// package manager (with their cache mounts and in-layer cleanup), directories
// and the app user.
#include "backends/RunBuilder.h"

#include "backends/ShellQuote.h"

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
  std::string id = std::to_string(op.uid);
  std::string home = "/home/" + op.name;
  if (op.busybox) {
    // busybox: -S system account, -D no password; the home is created.
    b.command(shellJoin({"addgroup", "-S", "-g", id, op.name}));
    b.command(shellJoin({"adduser", "-S", "-D", "-u", id, "-G", op.name, "-h", home, "-s",
                         "/sbin/nologin", op.name}));
    return;
  }
  b.command(shellJoin({"groupadd", "--system", "--gid", id, op.name}));
  b.command(shellJoin({"useradd", "--system", "--uid", id, "--gid", op.name, "--create-home",
                       "--home-dir", home, "--shell", "/usr/sbin/nologin", op.name}));
}

} // namespace imageplan::backends
