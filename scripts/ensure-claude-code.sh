#!/usr/bin/env bash
# Installs the pinned Claude Code CLI used by the end-to-end tests (tests/e2e/) into a cache
# directory inside the project, once, and prints the path of its binary on stdout.
#
#   bash scripts/ensure-claude-code.sh [VERSION]   # install if needed, print the binary path
#   CLAUDE_CODE_CACHE=/some/dir bash scripts/ensure-claude-code.sh 2.1.332
#
# VERSION defaults to the newest version the e2e suite supports (tests/e2e/versions.json);
# each version has a cache directory of its own.
#
# It is a no-op (apart from printing the path) when the pinned version is already there.
# The package brings its ~245 MB native binary as an optional dependency from the npm
# registry, so optional dependencies must not be omitted. Progress goes to stderr; only the
# path goes to stdout, so `CLAUDE_BIN=$(bash scripts/ensure-claude-code.sh)` works.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="${1:-$(node -e 'const v=require(process.argv[1]); process.stdout.write(v.newest)' "$ROOT/tests/e2e/versions.json")}"
CACHE="${CLAUDE_CODE_CACHE:-$ROOT/.cache/claude-code-$VERSION}"
PKG="$CACHE/node_modules/@anthropic-ai/claude-code"

log() { echo "ensure-claude-code: $*" >&2; }

installed_version() {
  [ -f "$PKG/package.json" ] || return 0
  node -e 'try { process.stdout.write(require(process.argv[1]).version || "") } catch {}' "$PKG/package.json"
}

# The wrapper's bin/claude.exe is normally a hard link to the platform package's binary; if the
# postinstall step did not run it can be a small stub, so fall back to the platform binary.
find_binary() {
  local c
  for c in "$PKG/bin/claude.exe" "$CACHE"/node_modules/@anthropic-ai/claude-code-linux-*/claude; do
    if [ -f "$c" ] && [ -x "$c" ] && [ "$(wc -c <"$c")" -gt 10000000 ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

# Runs `--version` with a throwaway HOME: every claude invocation writes $HOME/.claude.json.
check_binary() {
  local bin="$1" home out
  home="$(mktemp -d)"
  echo '{}' >"$home/.claude.json"
  out="$(HOME="$home" DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 timeout 60 "$bin" --version 2>/dev/null || true)"
  rm -rf "$home"
  case "$out" in "$VERSION"*) return 0 ;; *) return 1 ;; esac
}

if [ "$(installed_version)" = "$VERSION" ] && BIN="$(find_binary)" && check_binary "$BIN"; then
  echo "$BIN"
  exit 0
fi

log "installing @anthropic-ai/claude-code@$VERSION into $CACHE (250-400 MB, once)"
rm -rf "$CACHE"
mkdir -p "$CACHE"
cat >"$CACHE/package.json" <<'EOF'
{ "name": "gsd-async-e2e-claude-code", "private": true, "description": "cache for the e2e tests; made by scripts/ensure-claude-code.sh" }
EOF
(
  cd "$CACHE"
  npm install --no-audit --no-fund --no-save --include=optional --loglevel=error "@anthropic-ai/claude-code@$VERSION" >&2
)

if ! BIN="$(find_binary)"; then
  log "the native binary is missing; running the package's installer"
  (cd "$PKG" && node install.cjs >&2) || true
  BIN="$(find_binary)" || { log "no native binary under $CACHE/node_modules/@anthropic-ai"; exit 1; }
fi
if ! check_binary "$BIN"; then
  log "$BIN does not report version $VERSION"
  exit 1
fi
log "ready: $BIN"
echo "$BIN"
