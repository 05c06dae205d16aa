#!/usr/bin/env bash
# Real-browser end-to-end suite: builds and starts the app on a free local port with a
# throw-away data folder, runs journey.test.mjs with node's test runner against Debian's
# Chromium, stops the app. Exit code is the suite's. Screenshots and logs: e2e/artifacts/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
ARTIFACTS="${E2E_ARTIFACTS:-$HERE/artifacts}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. The browser: Debian's Chromium (playwright cannot download browsers here).
if [ ! -x "$CHROMIUM" ]; then
  echo "e2e: installing chromium with apt" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
command -v ffmpeg >/dev/null || { echo "e2e: ffmpeg is required (apt-get install ffmpeg)" >&2; exit 1; }

# 2. The driver (playwright-core) and axe-core, pinned in package-lock.json.
if [ ! -d "$HERE/node_modules/playwright-core" ] || [ ! -d "$HERE/node_modules/axe-core" ]; then
  if [ -f "$HERE/package-lock.json" ]; then (cd "$HERE" && npm ci --no-audit --no-fund); else (cd "$HERE" && npm install --no-audit --no-fund); fi
fi

# 3. The app (CARGO_TARGET_DIR is respected; relative paths are relative to the workspace).
# --tests: the same feature set as `cargo test` (dev-dependencies unified), so after the test
# suites nothing is rebuilt.
(cd "$ROOT" && cargo build -p web --tests)
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
BIN="$TARGET/debug/web"

rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
DATA="$(mktemp -d "${TMPDIR:-/tmp}/clipcontest-e2e.XXXXXX")"
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
BASE="http://127.0.0.1:$PORT"
APP_PID=""

# shellcheck disable=SC2317 # called by the trap below
cleanup() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

APP_LISTEN="127.0.0.1:$PORT" APP_DATA_DIR="$DATA" APP_BASE_URL="$BASE" \
  RUST_LOG="${RUST_LOG:-info}" "$BIN" >"$ARTIFACTS/app.log" 2>&1 &
APP_PID=$!

for _ in $(seq 1 100); do
  if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then echo "e2e: the app exited at start:" >&2; tail -20 "$ARTIFACTS/app.log" >&2; exit 1; fi
  sleep 0.2
done
curl -fsS "$BASE/healthz" >/dev/null || { echo "e2e: the app did not become healthy at $BASE" >&2; exit 1; }
echo "e2e: app at $BASE (data $DATA), chromium $("$CHROMIUM" --version 2>/dev/null | head -1)"

set +e
(cd "$HERE" && E2E_BASE_URL="$BASE" E2E_DATA_DIR="$DATA" E2E_ARTIFACTS="$ARTIFACTS" CHROMIUM="$CHROMIUM" \
  node --test --test-concurrency=1 --test-reporter=spec journey.test.mjs hls.test.mjs)
STATUS=$?
set -e
echo "e2e: screenshots and logs in $ARTIFACTS"
exit $STATUS
