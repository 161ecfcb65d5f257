#!/usr/bin/env bash
# Brings a fresh clone to a runnable state; fast when everything is already there.
# Usage: scripts/setup.sh [--test]   (--test also installs what the test suite needs, e.g. Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."

system_deps_args=()
[[ "${1:-}" == "--test" ]] && system_deps_args+=(--with-browser --with-prometheus)
bash docker/install-system-deps.sh "${system_deps_args[@]}"

# `npm install` rather than `npm ci`: the lock file holds only the platform packages the
# registry serves here, which `npm ci` takes for a lock out of sync. It installs what the
# lock pins and leaves the lock unchanged.
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm install --no-audit --no-fund
fi

bash scripts/build-native.sh
npm run --silent build:edge
[[ "${1:-}" == "--test" ]] || WRANGLER_SEND_METRICS=false node_modules/.bin/wrangler d1 migrations apply DB --local >/dev/null
