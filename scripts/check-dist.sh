#!/usr/bin/env bash
# Fails when dist/ differs from what `npm run build` produces from the committed sources.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! git diff --quiet -- dist; then
  echo "dist/ is out of date: run 'npm run build' and commit dist/." >&2
  git --no-pager diff --stat -- dist >&2
  exit 1
fi
if [ -n "$(git ls-files --others --exclude-standard -- dist)" ]; then
  echo "dist/ has files that are not committed: run 'npm run build' and commit dist/." >&2
  exit 1
fi
echo "dist/ is current."
