#!/usr/bin/env bash
# Browser tests on a fresh Debian machine: Chromium from Debian, Playwright's Python library
# (never its own browser download), axe-core from npm into a cache folder; then `pytest -m browser`.
# Screenshots land in tests/browser/screenshots/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

make setup
.venv/bin/pip install --quiet -e '.[test,browser]'

AXE_VERSION=4.14.1
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/newsgen/axe"
if [ ! -f "$CACHE/node_modules/axe-core/axe.min.js" ] || \
   ! grep -q "\"version\": \"$AXE_VERSION\"" "$CACHE/node_modules/axe-core/package.json"; then
  mkdir -p "$CACHE"
  npm install --silent --no-audit --no-fund --prefix "$CACHE" "axe-core@$AXE_VERSION"
fi
export NEWSGEN_AXE_JS="$CACHE/node_modules/axe-core/axe.min.js"
export NEWSGEN_CHROMIUM="${NEWSGEN_CHROMIUM:-$(command -v chromium)}"

.venv/bin/python -m pytest -q -m browser tests/browser
