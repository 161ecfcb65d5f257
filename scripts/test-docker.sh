#!/usr/bin/env bash
# `npm run test:docker`: builds the origin image in a real Docker engine and tests it
# (docker/image.docker.test.ts: the image alone, then docker/compose.yaml's replicas). Starts
# the engine and builds the stand-in base image when they are missing; fails, never skips,
# when the engine cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

export IMGFLO_TEST_IMAGE="${IMGFLO_TEST_IMAGE:-imgflo-origin:test}"

bash scripts/docker-engine.sh
bash scripts/docker-base-image.sh
[[ -d node_modules ]] || npm install --no-audit --no-fund

build_log="$(mktemp /tmp/imgflo-docker-build.XXXXXX.log)"
trap 'rm -f "$build_log"' EXIT
echo "test-docker: building $IMGFLO_TEST_IMAGE"
if ! docker build --network host --force-rm -f docker/Dockerfile -t "$IMGFLO_TEST_IMAGE" . >"$build_log" 2>&1; then
  tail -n 60 "$build_log" >&2
  echo "test-docker: docker build failed" >&2
  exit 1
fi
# Earlier builds of the image, untagged by this one; the build stage's layers stay as cache.
docker image prune --force --filter "label=org.opencontainers.image.title=imgflo-origin" >/dev/null
size="$(docker image inspect --format '{{.Size}}' "$IMGFLO_TEST_IMAGE")"
echo "test-docker: $IMGFLO_TEST_IMAGE is $((size / 1000000)) MB"

node_modules/.bin/vitest run --config docker/vitest.config.ts
