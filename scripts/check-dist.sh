#!/usr/bin/env bash
# Fails when dist/ or plugin/ differs from what `npm run build` produces from the committed sources
# (run it after `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."
for out in dist plugin; do
  if ! git diff --quiet -- "$out"; then
    echo "$out/ is out of date: run 'npm run build' and commit $out/." >&2
    git --no-pager diff --stat -- "$out" >&2
    exit 1
  fi
  if [ -n "$(git ls-files --others --exclude-standard -- "$out")" ]; then
    echo "$out/ has files that are not committed: run 'npm run build' and commit $out/." >&2
    git ls-files --others --exclude-standard -- "$out" >&2
    exit 1
  fi
done
echo "dist/ and plugin/ are current."
