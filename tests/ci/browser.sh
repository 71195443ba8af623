#!/usr/bin/env bash
# The real-browser test of the workshop page (run by tools/dev.sh test after
# the main tests). Installs Debian's Chromium and the pinned npm packages
# when missing (never a downloaded browser), starts `orgsim serve` on a free
# loopback port with the test scenarios, runs tests/browser/workshop.test.js
# and leaves a screenshot in build/test-output/. The server is always
# stopped, by its PID.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${ORGSIM_BUILD_DIR:-$ROOT/build}"
OUT="$BUILD/test-output"
ORGSIM="$BUILD/orgsim"
mkdir -p "$OUT"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "browser.sh: missing $*; install it (apt-get install $*) or run as root" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$@"
}

[[ -x "$ORGSIM" ]] || { echo "browser.sh: $ORGSIM not built" >&2; exit 2; }
command -v chromium >/dev/null || { log "installing chromium (Debian)"; apt_install chromium; }
command -v node >/dev/null && command -v npm >/dev/null || { log "installing nodejs, npm (Debian)"; apt_install nodejs npm; }
if [[ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]]; then
  log "npm ci (tests/browser, pinned by package-lock.json)"
  # playwright-core never downloads a browser; make sure nothing else tries.
  (cd "$ROOT/tests/browser" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

SERVER_LOG="$OUT/serve.log"
"$ORGSIM" serve --host 127.0.0.1 --port 0 --scenarios "$ROOT/tests/serve/scenarios" --threads 2 \
  > "$SERVER_LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT

URL=""
for _ in $(seq 1 100); do
  URL="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$SERVER_LOG" | head -n1 || true)"
  [[ -n "$URL" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; echo "browser.sh: orgsim serve exited" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$URL" ]] || { cat "$SERVER_LOG" >&2; echo "browser.sh: orgsim serve did not start" >&2; exit 1; }
log "workshop page at $URL"

ORGSIM_URL="$URL" ORGSIM_TEST_OUTPUT="$OUT" CHROMIUM="$(command -v chromium)" \
  node "$ROOT/tests/browser/workshop.test.js"
