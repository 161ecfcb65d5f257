#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for `npm run test:docker`.
# When none does, as root it installs Debian's engine (docker.io, plus debootstrap for the
# stand-in base image and docker-compose to check docker/compose.yaml) and starts dockerd
# without a bridge network: containers run with --network host only, traffic stays on loopback.
# Fails with a clear message when the engine cannot start; it never skips.
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/imgflo-dockerd.log}"
START_TIMEOUT_S=60
packages=(docker.io debootstrap docker-compose)

fail() {
  echo "docker-engine: $*" >&2
  exit 1
}

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  [[ "$(id -u)" -eq 0 ]] || fail "missing Debian packages ${missing[*]}; run as root to install them"
  echo "docker-engine: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if docker info >/dev/null 2>&1; then
  echo "docker-engine: the engine answers"
  exit 0
fi

[[ "$(id -u)" -eq 0 ]] || fail "no Docker engine answers and starting dockerd needs root"
command -v dockerd >/dev/null || fail "dockerd not found although docker.io is installed"
echo "docker-engine: starting dockerd (log: $DOCKERD_LOG)"
# setsid: the engine outlives this script, so later runs find it up.
setsid dockerd --bridge=none --iptables=false --ip6tables=false >>"$DOCKERD_LOG" 2>&1 </dev/null &
dockerd_pid=$!
for ((waited = 0; waited < START_TIMEOUT_S; waited++)); do
  docker info >/dev/null 2>&1 && { echo "docker-engine: dockerd is up"; exit 0; }
  kill -0 "$dockerd_pid" 2>/dev/null || break
  sleep 1
done
echo "docker-engine: the last lines of $DOCKERD_LOG:" >&2
tail -n 20 "$DOCKERD_LOG" >&2 || true
if kill -0 "$dockerd_pid" 2>/dev/null; then
  fail "dockerd did not answer within ${START_TIMEOUT_S} s; test:docker needs a working engine"
fi
fail "dockerd exited (see above); test:docker needs a working engine"
