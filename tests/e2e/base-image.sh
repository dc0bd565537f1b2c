# The base image of the end-to-end builds: $E2E_BASE_IMAGE made with
# debootstrap from this machine's Debian mirror, with the settings of Docker's
# official Debian images. Part of lib.sh, which sources it; never run.
# shellcheck shell=bash

# The Debian mirror this machine's own apt sources use (the one reachable).
e2e_debian_mirror() {
  local file mirror=""
  if [[ -r /etc/apt/sources.list ]]; then
    mirror=$(awk -v suite="$E2E_SUITE" '$1 == "deb" && $0 !~ /security/ {
        for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { if ($(i + 1) == suite) { print $i; exit } } }' \
      /etc/apt/sources.list)
  fi
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -z $mirror && -r $file ]] || continue
    # deb822 stanzas: the URIs of one whose Suites name the suite itself.
    mirror=$(awk -v suite="$E2E_SUITE" '
      /^[[:space:]]*$/ { if (uri != "" && hit) { print uri; exit } uri = ""; hit = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      END { if (uri != "" && hit) print uri }' "$file" | head -n 1)
  done
  [[ -n $mirror ]] || fail "no Debian $E2E_SUITE mirror in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources"
  printf '%s\n' "${mirror%/}"
}

# The debootstrap tarball of the base image, kept between runs. Its name
# changes with e2e_slim_settings, so a tarball made with other settings is
# not reused.
e2e_base_tarball() { printf '%s\n' "$E2E_STATE/base/$E2E_SUITE-minbase-docker-settings-2.tar"; }

# Makes $E2E_BASE_IMAGE in the private daemon from a debootstrap rootfs. The
# tarball is kept in the state folder, so only the first run pays for
# debootstrap. The rootfs gets the apt and dpkg settings of Docker's official
# Debian images (no downloaded .deb kept, no docs), so that both the generated
# and the hand-written Dockerfiles meet the base they are written for.
e2e_base_image() {
  local tarball root mirror
  tarball=$(e2e_base_tarball)
  if [[ ! -s $tarball ]]; then
    mirror=$(e2e_debian_mirror)
    root=$E2E_STATE/base/rootfs
    rm -rf "$root"
    echo "e2e: debootstrap --variant=minbase $E2E_SUITE from $mirror"
    timeout --kill-after=10 900 /usr/sbin/debootstrap --variant=minbase "$E2E_SUITE" "$root" "$mirror" \
      >"$E2E_STATE/base/debootstrap.log" 2>&1 ||
      { tail -n 30 "$E2E_STATE/base/debootstrap.log" >&2; fail "debootstrap failed"; }
    e2e_slim_settings "$root"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" --numeric-owner -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    rm -rf "$root"
  fi
  if ! e2e_docker image inspect "$E2E_BASE_IMAGE" >/dev/null 2>&1; then
    e2e_docker import "$tarball" "$E2E_BASE_IMAGE" >/dev/null || fail "docker import of $tarball failed"
  fi
  echo "e2e: $E2E_BASE_IMAGE is $(e2e_docker image inspect -f '{{.Size}}' "$E2E_BASE_IMAGE") bytes"
}

# The settings debuerreotype gives Docker's official Debian images
# (debuerreotype-minimizing-config, plus the slim image's dpkg excludes): no
# service starts during installs, dpkg without fsync, apt without
# translations, lists kept compressed, downloaded .debs removed.
e2e_slim_settings() {
  local root=$1
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 0755 "$root/usr/sbin/policy-rc.d"
  mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
  echo 'force-unsafe-io' >"$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
  echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CONF
}
