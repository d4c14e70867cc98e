#!/usr/bin/env bash
# Builds k6 (the load-test runner) with the Go toolchain from the Go module proxy, into a cache
# outside the repository so fresh clones reuse it. The npm package named `k6` is a placeholder,
# not k6. Fast when cached: one `k6 version` call. Called by scripts/setup.sh; prints the
# binary's path as its last line when run with --print-path.
#   ISOCHRON_K6_VERSION  release to build (default below; must exist on the Go module proxy)
#   ISOCHRON_K6_CACHE    cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/isochron)
set -euo pipefail
K6_VERSION=${ISOCHRON_K6_VERSION:-v1.8.1}
CACHE=${ISOCHRON_K6_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/isochron}
BIN_DIR="$CACHE/k6-$K6_VERSION"
K6="$BIN_DIR/k6"

say() { echo "[setup] $*" >&2; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

# `k6 version` prints e.g. "k6 v1.8.1 (commit/..., go1.26.8, linux/amd64)".
if [ -x "$K6" ] && "$K6" version 2>/dev/null | grep -q "^k6 $K6_VERSION "; then
  [ "${1:-}" = "--print-path" ] && echo "$K6"
  exit 0
fi

command -v go >/dev/null || die "go not found: k6 is built with the Go toolchain (install Go >= 1.25, https://go.dev/dl/), or put a k6 $K6_VERSION binary at $K6"
say "building k6 $K6_VERSION with $(go version | cut -d' ' -f3) from the Go module proxy into $BIN_DIR (first time only, a few minutes)"
mkdir -p "$BIN_DIR"
tmp="$BIN_DIR.partial"
rm -rf "$tmp"
mkdir -p "$tmp"
start=$(date +%s)
# Progress: a dot every 15 s (go install itself is silent until it fails).
( while sleep 15; do printf '.' >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
if ! GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -trimpath" go install "go.k6.io/k6@$K6_VERSION" >"$BIN_DIR/build.log" 2>&1; then
  kill $ticker 2>/dev/null || true
  echo >&2
  tail -20 "$BIN_DIR/build.log" >&2
  die "building k6 $K6_VERSION failed; see $BIN_DIR/build.log"
fi
kill $ticker 2>/dev/null || true
echo >&2
mv -f "$tmp/k6" "$K6"
rm -rf "$tmp"
"$K6" version 2>/dev/null | grep -q "^k6 $K6_VERSION " || die "built $K6 but it does not report version $K6_VERSION: $("$K6" version 2>&1 | head -1)"
say "k6 $K6_VERSION built in $(( $(date +%s) - start )) s: $K6"
[ "${1:-}" = "--print-path" ] && echo "$K6"
exit 0
