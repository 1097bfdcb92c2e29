#!/usr/bin/env bash
# Runs recipes one after another on the built-in survey and appends each result line to a log:
#   scripts/recipe_search.sh out/recipes.log 'lode ssgsnet 1 6 200 {radius: 300}' 'paper ssgsnet 1 6 200 {}'
# Each spec is "recipe model seed epochs cell options". The lines starting RECIPE / BASELINE
# are the figures docs/recipes.md records.
set -euo pipefail
log=${1:?usage: recipe_search.sh LOG SPEC...}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
lode=${LODE_BIN:-$(cd "$root" && swift build -c release -Xswiftc -enable-testing --show-bin-path)/lode}
for spec in "$@"; do
    read -r recipe model seed epochs cell options <<<"$spec"
    start=$(date +%s)
    out=$(cd "$root" && "$lode" run scripts/recipe_search.lode kind="$recipe" model="$model" seed="$seed" \
          epochs="$epochs" cell="$cell" options="$options" 2>/dev/null | grep -E '^(RECIPE|BASELINE)' || true)
    echo "$out" | sed "s/\$/ seconds=$(( $(date +%s) - start ))/" | tee -a "$log"
done
