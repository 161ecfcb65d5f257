#!/usr/bin/env bash
# Builds the native parts of imgflo-server, incrementally:
#   origin/gegl-worker/*.c  -> build/native/imgflo-gegl-worker
#   origin/gegl-worker/babl-extension/*.c -> build/native/babl/imgflo-fast-conversions.so
#     (a babl extension calling back into the worker, which exports what it calls)
#   origin/gegl-ops/<op>.c  -> build/native/gegl-ops/<op>.so, linked with
#     origin/gegl-ops/lib/<name>.c for each "lib/<name>.h" the op includes
#     (lib/ holds code that ops share; its files are not ops)
# A target is rebuilt only when one of its sources (or this script) is newer
# than it. Run from anywhere; paths are relative to the repository root.
# Environment: CC (default gcc), EXTRA_CFLAGS (appended).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cc="${CC:-gcc}"
cflags=(-O2 -g -Wall -Wextra -Werror -std=gnu11)
# shellcheck disable=SC2206
extra=(${EXTRA_CFLAGS:-})

if ! command -v pkg-config >/dev/null 2>&1; then
  echo "build-native: pkg-config not found (run docker/install-system-deps.sh)" >&2
  exit 1
fi
if ! pkg-config --exists gegl-0.4 json-glib-1.0; then
  echo "build-native: gegl-0.4 / json-glib-1.0 development files not found (run docker/install-system-deps.sh)" >&2
  exit 1
fi

# GEGL's headers (notably gegl-op.h, used by plug-ins) are not -Wextra clean:
# include them as system headers so -Werror applies to our code only.
pkg_cflags() { pkg-config --cflags "$@" | sed -e 's/\(^\|[[:space:]]\)-I/\1-isystem /g'; }

self="$root/scripts/build-native.sh"
out_dir="build/native"
ops_out="$out_dir/gegl-ops"
mkdir -p "$out_dir" "$ops_out"

# needs_build TARGET SOURCE... : true when TARGET is missing or older than any source.
needs_build() {
  local target="$1"; shift
  [[ -e "$target" ]] || return 0
  local src
  for src in "$@" "$self"; do
    [[ "$src" -nt "$target" ]] && return 0
  done
  return 1
}

tmp_file=""
trap 'if [[ -n "$tmp_file" ]]; then rm -f "$tmp_file"; fi' EXIT

# --- worker -----------------------------------------------------------------
shopt -s nullglob
# The worker also builds the ops' library files it includes (lib/large-buffer.c).
worker_c=(origin/gegl-worker/*.c origin/gegl-ops/lib/large-buffer.c)
worker_h=(origin/gegl-worker/*.h origin/gegl-ops/lib/large-buffer.h)
if [[ ${#worker_c[@]} -gt 0 ]]; then
  worker="$out_dir/imgflo-gegl-worker"
  if needs_build "$worker" "${worker_c[@]}" "${worker_h[@]}"; then
    plugins_dir="$(pkg-config --variable=pluginsdir gegl-0.4)"
    babl_dir="$(pkg-config --variable=libdir babl)/babl-0.1"
    tmp_file="$worker.tmp"
    # shellcheck disable=SC2046
    # -fno-math-errno: no libm call's errno is read, and it lets srgb-trc.c's
    # loops vectorise sqrtf.
    "$cc" "${cflags[@]}" -fno-math-errno "${extra[@]}" \
      -DIMGFLO_GEGL_PLUGINS_DIR="\"$plugins_dir\"" \
      -DIMGFLO_BABL_EXTENSIONS_DIR="\"$babl_dir\"" \
      $(pkg_cflags gegl-0.4 json-glib-1.0) \
      -o "$worker.tmp" "${worker_c[@]}" \
      -Wl,--export-dynamic-symbol=fast_conversions_register \
      $(pkg-config --libs gegl-0.4 json-glib-1.0) -lm
    mv -f "$worker.tmp" "$worker"
    tmp_file=""
    echo "build-native: built $worker"
  fi
else
  echo "build-native: no sources in origin/gegl-worker/" >&2
  exit 1
fi

# --- the fast conversions' babl extension ------------------------------------
babl_ext_c=(origin/gegl-worker/babl-extension/*.c)
babl_ext="$out_dir/babl/imgflo-fast-conversions.so"
mkdir -p "$out_dir/babl"
if needs_build "$babl_ext" "${babl_ext_c[@]}" origin/gegl-worker/fast-conversions.h; then
  tmp_file="$babl_ext.tmp"
  # shellcheck disable=SC2046
  "$cc" "${cflags[@]}" "${extra[@]}" -shared -fPIC \
    $(pkg_cflags json-glib-1.0) \
    -o "$babl_ext.tmp" "${babl_ext_c[@]}"
  mv -f "$babl_ext.tmp" "$babl_ext"
  tmp_file=""
  echo "build-native: built $babl_ext"
fi

# --- custom GEGL operations -------------------------------------------------
ops_c=(origin/gegl-ops/*.c)
ops_h=(origin/gegl-ops/*.h origin/gegl-ops/lib/*.h)

# op_lib_sources OP.c : the lib/<name>.c of each "lib/<name>.h" the op includes.
op_lib_sources() {
  local name
  while read -r name; do
    if [[ -e "origin/gegl-ops/lib/$name.c" ]]; then
      echo "origin/gegl-ops/lib/$name.c"
    fi
  done < <(sed -n 's|^#include "lib/\([A-Za-z0-9_-]*\)\.h".*|\1|p' "$1")
}

for src in "${ops_c[@]}"; do
  name="$(basename "$src" .c)"
  so="$ops_out/$name.so"
  mapfile -t lib_c < <(op_lib_sources "$src")
  if needs_build "$so" "$src" "${lib_c[@]}" "${ops_h[@]}"; then
    # <glib/gi18n-lib.h>, which gegl-op.h uses, needs a (translation-less) gettext domain.
    op_defs=(-DGETTEXT_PACKAGE='"imgflo"')
    tmp_file="$so.tmp"
    # shellcheck disable=SC2046
    "$cc" "${cflags[@]}" "${extra[@]}" -shared -fPIC "${op_defs[@]}" \
      -Iorigin/gegl-ops \
      $(pkg_cflags gegl-0.4) \
      -o "$so.tmp" "$src" "${lib_c[@]}" \
      $(pkg-config --libs gegl-0.4) -lm
    mv -f "$so.tmp" "$so"
    tmp_file=""
    echo "build-native: built $so"
  fi
done

# Remove plug-ins whose source is gone, so GEGL does not load stale ops
# (an op's source is origin/gegl-ops/<op>.c; lib/ has none).
for so in "$ops_out"/*.so; do
  name="$(basename "$so" .so)"
  if [[ ! -e "origin/gegl-ops/$name.c" ]]; then
    rm -f "$so"
    echo "build-native: removed stale $so"
  fi
done

exit 0
