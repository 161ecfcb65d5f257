#!/usr/bin/env bash
# Ensures the Debian packages that imgflo-server needs are installed:
# GEGL (runtime + headers), json-glib, and the C toolchain used by
# scripts/build-native.sh. With --with-browser it also ensures chromium
# (for the browser tests), with --with-prometheus Prometheus (for the
# dashboard test, test/observability/); with --runtime only the shared
# libraries the built origin runs on (the Docker image's final stage).
#
# Idempotent and fast: when everything is already present it only runs
# dpkg-query and prints one line. apt-get update/install run only when
# something is missing.
#
# Used by the Dockerfile, by the npm start/test set-up and by CI.
set -euo pipefail

runtime_packages=(libgegl-0.4-0 libjson-glib-1.0-0 ca-certificates)
packages=("${runtime_packages[@]}" gegl libgegl-dev libjson-glib-dev pkg-config gcc libc6-dev make)

for arg in "$@"; do
  case "$arg" in
    --with-browser) packages+=(chromium) ;;
    --with-prometheus) packages+=(prometheus) ;;
    --runtime) packages=("${runtime_packages[@]}") ;;
    -h|--help)
      echo "usage: $0 [--with-browser] [--with-prometheus] | --runtime"
      exit 0
      ;;
    *)
      echo "install-system-deps: unknown argument: $arg" >&2
      echo "usage: $0 [--with-browser] [--with-prometheus] | --runtime" >&2
      exit 2
      ;;
  esac
done

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-deps: all ${#packages[@]} system packages present"
  exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-system-deps: missing ${missing[*]} and not root (no sudo available)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Quiet apt output goes to stderr so callers still get a single summary line.
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2

echo "install-system-deps: installed ${missing[*]}"
