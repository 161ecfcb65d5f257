#!/usr/bin/env bash
# Builds a stand-in for the base image docker/Dockerfile starts FROM (node:20-bookworm-slim)
# when that tag is missing, for machines that reach Debian's mirror and npm but no image registry.
# It never pulls: Debian bookworm from debootstrap (minbase), this machine's own Node and npm
# under /usr/local like the official image, its `node` user (uid 1000), debian:bookworm-slim's
# dpkg and apt settings (no documentation, no apt caches), and this machine's CA bundle with
# npm and Node pointed at it (the build network may intercept TLS).
# Needs root and debootstrap (scripts/docker-engine.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

# The mirror this machine's apt uses for bookworm (deb822 .sources, then sources.list).
apt_mirror() {
  local files=(/etc/apt/sources.list.d/*.sources) uri=""
  [[ -e "${files[0]}" ]] && uri="$(awk 'BEGIN { RS = "" }
    /(^|\n)Suites:[^\n]*[[:space:]]bookworm([[:space:]]|$)/ && /(^|\n)Types:[^\n]*deb([[:space:]]|$)/ {
      if (match($0, /(^|\n)URIs:[[:space:]]*[^[:space:]]+/)) {
        uri = substr($0, RSTART, RLENGTH); sub(/.*URIs:[[:space:]]*/, "", uri); print uri; exit
      }
    }' "${files[@]}")"
  [[ -n "$uri" || ! -e /etc/apt/sources.list ]] || uri="$(awk '$1 == "deb" {
      for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i + 1) == "bookworm") { print $i; exit } break }
    }' /etc/apt/sources.list)"
  echo "${uri:-http://deb.debian.org/debian}"
}

DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(apt_mirror)}"
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
# Outside /etc/ssl so that installing ca-certificates in the image does not replace it.
IMAGE_CA_BUNDLE=/usr/local/share/ca-certificates-build/ca-certificates.crt

fail() {
  echo "docker-base-image: $*" >&2
  exit 1
}

mapfile -t bases < <(sed -n 's/^FROM[[:space:]]\+\([^[:space:]]\+\).*/\1/p' docker/Dockerfile | sort -u)
[[ ${#bases[@]} -eq 1 ]] || fail "expected one base image in docker/Dockerfile, found: ${bases[*]}"
tag="${bases[0]}"

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "docker-base-image: $tag present"
  exit 0
fi

node_bin="$(command -v node)"
npm_dir="$(cd "$(dirname "$(readlink -f "$(command -v npm)")")/.." && pwd)"
node_major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
[[ "$tag" == "node:$node_major-"* ]] || fail "$tag needs Node $node_major's counterpart; this machine has Node $node_major"
[[ -f "$CA_BUNDLE" ]] || fail "no CA bundle at $CA_BUNDLE"
[[ "$(id -u)" -eq 0 ]] || fail "debootstrap needs root"
command -v debootstrap >/dev/null || fail "debootstrap not found (scripts/docker-engine.sh installs it)"

rootfs="$(mktemp -d /tmp/imgflo-base.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
echo "docker-base-image: building $tag from Debian bookworm ($DEBIAN_MIRROR), Node $("$node_bin" --version)"
debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >/dev/null

install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_dir" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
install -D -m 0644 "$CA_BUNDLE" "$rootfs$IMAGE_CA_BUNDLE"
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
SLIM
cat >"$rootfs/etc/apt/apt.conf.d/docker-slim" <<'SLIM'
APT::Install-Recommends "false";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
SLIM
rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

tar -C "$rootfs" -c . | docker import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_EXTRA_CA_CERTS=$IMAGE_CA_BUNDLE" \
  --change "ENV NPM_CONFIG_CAFILE=$IMAGE_CA_BUNDLE" \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
echo "docker-base-image: imported $tag"
