#!/usr/bin/python3
"""Wheels of huggingface_hub and everything pip asks for with it, made from Debian packages.

PyPI is not reachable here and huggingface_hub is not in Debian 12, so the e2e
wheelhouse gets it this way (lib-servers.sh, e2e_hub_wheels):
- Debian unstable's python3-huggingface-hub (1.x) and the three dependencies
  whose Debian 12 versions are older than its metadata asks (click, filelock,
  fsspec) come from the Debian mirror: the suite's InRelease is checked with
  gpgv against debian-archive-keyring, the Packages index against the SHA256
  the signed InRelease gives, and each .deb against the Packages index (and
  huggingface_hub against a SHA256 pinned here too). Downloads are cached in
  --cache, so a later run fetches nothing and checks again;
- the rest (httpx 0.23 and its dependencies, tqdm, PyYAML, ...) are the Debian
  12 python3-* packages installed on this host (scripts/setup.sh --test),
  read through `dpkg -L`.
Each becomes a wheel: the package's files under /usr/lib/python3/dist-packages
with its .dist-info (an .egg-info is turned into one), a new WHEEL and RECORD;
pure Python is py3-none-any, a package with a C extension is tagged for the
host's CPython (the image runs the same Debian 12 python3.11).

Two requirements of huggingface_hub's metadata are changed, the only stand-in
part (REWRITTEN): hf-xet (required on x86_64 and aarch64) is not packaged by
Debian, whose own huggingface_hub runs without it, so the line is dropped and
huggingface_hub downloads over HTTP as it does whenever hf_xet is absent; and
click>=8.4.2 becomes >=8.3.3, the click Debian ships beside it (only the hf
CLI imports click). Finally every requirement of every wheel (markers evaluated for this
host's Python) must be met by a wheel here, or the script fails saying which.

usage: debwheels.py --mirror URL --cache DIR --out WHEELHOUSE/simple
"""

import argparse
import base64
import email.parser
import hashlib
import io
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

SUITE = "sid"
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
FROM_MIRROR = ["python3-huggingface-hub", "python3-click", "python3-filelock", "python3-fsspec"]
PINNED = {"python3-huggingface-hub": ("1.23.0-1", "b38999c28178b21b914cb5478f1bd506c3355c7a7860845c837d3caf354dc212")}
FROM_HOST = ["python3-httpx", "python3-httpcore", "python3-anyio", "python3-sniffio", "python3-idna",
             "python3-certifi", "python3-h11", "python3-rfc3986", "python3-tqdm",
             "python3-typing-extensions", "python3-packaging", "python3-yaml"]
# The stand-in part: requirements of Debian's metadata that Debian itself does
# not meet, rewritten to what Debian pairs the package with (None: dropped).
REWRITTEN = {"huggingface-hub": {
    # Not packaged by Debian; huggingface_hub downloads over HTTP without it.
    "hf-xet": None,
    # Debian unstable ships click 8.3.3 beside huggingface_hub 1.23.0 (its
    # Depends has no version); only the hf CLI imports click.
    "click": "click<9.0.0,>=8.3.3",
}}
SITE = "usr/lib/python3/dist-packages/"


def fail(message):
    sys.exit("debwheels: " + message)


def fetch(url, path):
    """url saved at path (atomically), unless path is there already."""
    if os.path.isfile(path):
        return path
    try:
        with urllib.request.urlopen(url, timeout=120) as response, open(path + ".part", "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as error:
        fail("cannot fetch %s: %s" % (url, error))
    os.replace(path + ".part", path)
    return path


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checked(path, want, what):
    got = sha256(path)
    if got != want:
        os.remove(path)  # never reused: the next run fetches it again
        fail("%s has sha256 %s, expected %s" % (what, got, want))


def signed_release(mirror, cache):
    """The InRelease text that gpgv verified (fetched anew every run)."""
    path = os.path.join(cache, SUITE + "-InRelease")
    if os.path.exists(path):
        os.remove(path)
    fetch("%s/dists/%s/InRelease" % (mirror, SUITE), path)
    verified = path + ".verified"
    result = subprocess.run(["gpgv", "--keyring", KEYRING, "--output", verified, path],
                            capture_output=True, text=True)
    if result.returncode != 0:
        fail("gpgv rejects %s InRelease:\n%s" % (SUITE, result.stderr))
    print("debwheels: %s InRelease: %s" % (SUITE, result.stderr.strip().splitlines()[-1]))
    with open(verified) as f:
        return f.read()


def packages_index(mirror, cache, release):
    """Debian's binary-all Packages stanzas by package name, checked against InRelease."""
    name = "main/binary-all/Packages.xz"
    sums = re.search(r"^SHA256:\n((?: .*\n)+)", release, re.M)
    want = next((line.split()[0] for line in (sums.group(1) if sums else "").splitlines()
                 if line.split()[-1:] == [name]), None)
    if not want:
        fail("the %s InRelease lists no SHA256 for %s" % (SUITE, name))
    path = os.path.join(cache, "%s-Packages-%s.xz" % (SUITE, want[:16]))
    for stale in os.listdir(cache):  # an index the suite has moved past
        if stale.startswith(SUITE + "-Packages-") and stale != os.path.basename(path):
            os.remove(os.path.join(cache, stale))
    fetch("%s/dists/%s/%s" % (mirror, SUITE, name), path)
    checked(path, want, name)
    stanzas = {}
    for block in lzma.open(path).read().decode().split("\n\n"):
        fields = dict(re.findall(r"^([\w-]+): (.*)$", block, re.M))
        if "Package" in fields:
            stanzas[fields["Package"]] = fields
    return stanzas


def mirror_debs(mirror, cache, stanzas):
    """The FROM_MIRROR .debs, checked, extracted: [(package, root, files)]."""
    result = []
    for package in FROM_MIRROR:
        fields = stanzas.get(package) or fail("%s is not in %s" % (package, SUITE))
        if package in PINNED and (fields["Version"], fields["SHA256"]) != PINNED[package]:
            fail("%s in %s is %s (sha256 %s), not the pinned %s"
                 % (package, SUITE, fields["Version"], fields["SHA256"], PINNED[package]))
        path = os.path.join(cache, os.path.basename(fields["Filename"]))
        fetch(mirror + "/" + fields["Filename"], path)
        checked(path, fields["SHA256"], fields["Filename"])
        print("debwheels: %s %s, sha256 %s verified" % (package, fields["Version"], fields["SHA256"]))
        root = tempfile.mkdtemp(prefix=package + "-", dir=cache)
        subprocess.run(["dpkg-deb", "-x", path, root], check=True)
        files = [os.path.relpath(os.path.join(parent, name), root)
                 for parent, _, names in os.walk(root) for name in names]
        result.append((package, root, files, fields.get("Depends", "")))
    return result


def host_packages():
    """The FROM_HOST packages as installed here: [(package, "/", files)]."""
    result = []
    for package in FROM_HOST:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
        if listing.returncode != 0:
            fail("%s is not installed; run 'scripts/setup.sh --test'" % package)
        files = [line[1:] for line in listing.stdout.splitlines()
                 if line.startswith("/" + SITE) and os.path.isfile(line)]
        depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package],
                                 capture_output=True, text=True, check=True).stdout
        result.append((package, "/", files, depends))
    return result


def debian_depends(depends):
    """The package names a Depends field lists (first alternatives)."""
    names = []
    for item in depends.split(","):
        name = item.split("|")[0].strip().split(" ")[0].split(":")[0]
        if name:
            names.append(name)
    return names


def with_depends(metadata, project, depends, projects):
    """metadata plus a Requires-Dist for each package of the wheelhouse that
    Debian's Depends names but the metadata does not: Debian's builds of
    anyio and httpcore drop their install_requires (apt carries them)."""
    fields = email.parser.Parser().parsestr(metadata, headersonly=True)
    have = {canonicalize_name(Requirement(r).name) for r in fields.get_all("Requires-Dist") or []}
    added = [projects[name] for name in debian_depends(depends)
             if name in projects and projects[name] not in have and projects[name] != project]
    if not added:
        return metadata
    print("debwheels: %s: Requires-Dist %s added from Debian's Depends" % (project, ", ".join(added)))
    head, blank, body = metadata.partition("\n\n")
    lines = "".join("Requires-Dist: %s\n" % name for name in added)
    return head.rstrip("\n") + "\n" + lines + blank.lstrip("\n") + ("\n" if blank else "") + body


def metadata_of(root, files):
    """(info folder, METADATA text, entry points or None) of the package's distribution."""
    infos = sorted({f[len(SITE):].split("/")[0] for f in files if f.startswith(SITE)
                    and re.fullmatch(r"[^/]+\.(dist|egg)-info", f[len(SITE):].split("/")[0])})
    if len(infos) != 1:
        fail("expected one .dist-info or .egg-info in %s, found %s" % (root, infos))
    folder = os.path.join(root, SITE, infos[0])
    name = "METADATA" if infos[0].endswith(".dist-info") else "PKG-INFO"
    with open(os.path.join(folder, name)) as f:
        metadata = f.read()
    requires = os.path.join(folder, "requires.txt")
    if name == "PKG-INFO" and os.path.isfile(requires) and "\nRequires-Dist: " not in metadata:
        with open(requires) as f:
            metadata = with_requires_txt(metadata, f.read())
    entry_points = os.path.join(folder, "entry_points.txt")
    if os.path.isfile(entry_points):
        with open(entry_points) as f:
            entry_points = f.read()
    else:
        entry_points = None
    return infos[0], metadata, entry_points


def with_requires_txt(metadata, requires):
    """PKG-INFO plus the Requires-Dist and Provides-Extra lines of an
    .egg-info's requires.txt (sections "[extra]", "[:marker]",
    "[extra:marker]"), which pip reads only from an installed .egg-info."""
    lines, extras, section = [], [], ""
    for line in requires.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            extra = section.split(":")[0]
            if extra and extra not in extras:
                extras.append(extra)
            continue
        if not line:
            continue
        extra, _, marker = section.partition(":")
        conditions = ["(%s)" % marker] if marker else []
        conditions += ['extra == "%s"' % extra] if extra else []
        lines.append("Requires-Dist: %s%s\n" % (line, "; " + " and ".join(conditions) if conditions else ""))
    lines += ["Provides-Extra: %s\n" % extra for extra in extras]
    head, blank, body = metadata.partition("\n\n")
    return head.rstrip("\n") + "\n" + "".join(lines) + blank.lstrip("\n") + ("\n" if blank else "") + body


def rewritten(metadata, project):
    """metadata with the REWRITTEN requirements of project (each said aloud)."""
    kept, changes = [], REWRITTEN.get(project, {})
    for line in metadata.splitlines(keepends=True):
        if line.startswith("Requires-Dist: "):
            requirement = Requirement(line[len("Requires-Dist: "):].strip())
            name = canonicalize_name(requirement.name)
            if name in changes and not (requirement.marker and "extra" in str(requirement.marker)):
                new = changes[name]
                print("debwheels: %s: 'Requires-Dist: %s' %s" % (
                    project, requirement, "dropped" if new is None else "-> '%s'" % new))
                if new is None:
                    continue
                line = "Requires-Dist: %s\n" % new
        kept.append(line)
    return "".join(kept)


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d\n" % (name, digest, len(data))


def project_of(root, files):
    metadata = metadata_of(root, files)[1]
    return canonicalize_name(email.parser.Parser().parsestr(metadata, headersonly=True)["Name"])


def make_wheel(source, projects, out):
    """Writes the package's wheel under out/<project>/ and returns its metadata."""
    package, root, files, depends = source
    info, metadata, entry_points = metadata_of(root, files)
    fields = email.parser.Parser().parsestr(metadata, headersonly=True)
    project, version = canonicalize_name(fields["Name"]), fields["Version"]
    metadata = rewritten(with_depends(metadata, project, depends, projects), project)
    fields = email.parser.Parser().parsestr(metadata, headersonly=True)
    native = any(f.endswith(".so") for f in files)
    if native:
        abi = "cp%d%d" % sys.version_info[:2]
        tag = "%s-%s-linux_%s" % (abi, abi, os.uname().machine)
    else:
        tag = "py3-none-any"
    stem = "%s-%s" % (re.sub(r"[-_.]+", "_", fields["Name"]), version)
    dist_info = stem + ".dist-info/"
    members = {}
    for name in sorted(files):
        inside = name[len(SITE):] if name.startswith(SITE) else None
        if inside is None or inside.startswith(info + "/") or "__pycache__" in inside.split("/"):
            continue
        with open(os.path.join(root, name), "rb") as f:
            members[inside] = f.read()
    members[dist_info + "METADATA"] = metadata.encode()
    members[dist_info + "WHEEL"] = ("Wheel-Version: 1.0\nGenerator: imageplan-e2e-debwheels\n"
                                    "Root-Is-Purelib: %s\nTag: %s\n"
                                    % ("false" if native else "true", tag)).encode()
    if entry_points:
        members[dist_info + "entry_points.txt"] = entry_points.encode()
    folder = os.path.join(out, project)
    os.makedirs(folder, exist_ok=True)
    wheel = os.path.join(folder, "%s-%s.whl" % (stem, tag))
    record = io.StringIO()
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(members.items()):
            archive.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
            record.write(record_line(name, data))
        record.write(dist_info + "RECORD,,\n")
        archive.writestr(zipfile.ZipInfo(dist_info + "RECORD", (2026, 1, 1, 0, 0, 0)), record.getvalue())
    print("debwheels: %s -> %s" % (package, os.path.relpath(wheel, os.path.dirname(out))))
    return project, Version(version), fields


def check_closure(wheels):
    """Every requirement of every wheel (no extras) is met by a wheel here."""
    environment = default_environment()
    environment["extra"] = ""
    missing = []
    for project, (_, fields) in sorted(wheels.items()):
        for line in fields.get_all("Requires-Dist") or []:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            have = wheels.get(canonicalize_name(requirement.name))
            for extra in sorted(requirement.extras):  # e.g. rfc3986[idna2008] -> idna
                for sub in (have[1].get_all("Requires-Dist") or []) if have else []:
                    sub = Requirement(sub)
                    if sub.marker and sub.marker.evaluate(dict(environment, extra=extra)) \
                            and canonicalize_name(sub.name) not in wheels:
                        missing.append("%s (for %s[%s])" % (sub, requirement.name, extra))
            if have is None or not requirement.specifier.contains(have[0], prereleases=True):
                missing.append("%s (for %s; have %s)" % (requirement, project, have and have[0]))
    if missing:
        fail("the wheelhouse does not meet: " + "; ".join(missing))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", required=True, help="the Debian mirror, e.g. http://deb.debian.org/debian")
    parser.add_argument("--cache", required=True, help="kept between runs: InRelease, Packages, .debs")
    parser.add_argument("--out", required=True, help="the wheelhouse's simple/ folder")
    args = parser.parse_args()
    os.makedirs(args.cache, exist_ok=True)
    mirror = args.mirror.rstrip("/")
    release = signed_release(mirror, args.cache)
    sources = mirror_debs(mirror, args.cache, packages_index(mirror, args.cache, release))
    wheels = {}
    try:
        every = sources + host_packages()
        projects = {source[0]: project_of(source[1], source[2]) for source in every}
        for source in every:
            project, version, fields = make_wheel(source, projects, args.out)
            wheels[project] = (version, fields)
    finally:
        for _, root, _, _ in sources:
            shutil.rmtree(root, ignore_errors=True)
    check_closure(wheels)
    print("debwheels: %d wheels, every requirement met" % len(wheels))


if __name__ == "__main__":
    main()
