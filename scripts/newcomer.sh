#!/usr/bin/env bash
# The newcomer test: clone this repository afresh, then run the commands of the README's first
# code block exactly as written, one after another. Succeeds only if every one does.
#   scripts/newcomer.sh [WORK_DIR]      (WORK_DIR gets the clone and a link to ../shared)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/lode-newcomer.XXXXXX)}
mkdir -p "$work"
git clone -q "$repo" "$work/lode"
[ -e "$work/shared" ] || ln -s "$repo/../shared" "$work/shared"
cd "$work/lode"
# The first fenced block of the README holds the set-up commands.
mapfile -t commands < <(awk '/^```/{n++; next} n==1' README.md)
[ "${#commands[@]}" -gt 0 ] || { echo "README has no command block" >&2; exit 1; }
for command in "${commands[@]}"; do
  [ -n "${command// }" ] || continue
  echo "newcomer: \$ $command"
  bash -c "$command"
done
test -s out/report.md || { echo "newcomer: out/report.md was not written" >&2; exit 1; }
echo "newcomer: every README command succeeded in a fresh clone at $work/lode"
