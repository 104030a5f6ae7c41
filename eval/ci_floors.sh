#!/usr/bin/env bash
# CI quality floors: run the evaluation on the dev cases; a metric below its floor (or a rate
# above its ceiling) fails the build. The floors live in ONE place: eval/floors.txt.
#   SIDEKICK_EVAL_CASES  the cases folder (default ../shared/cases/dev)
#   SIDEKICK_EVAL_OUT    where the reports go (default a fresh temporary folder)
#   SIDEKICK_EVAL_FLOORS the floors file (default eval/floors.txt)
set -euo pipefail
cd "$(dirname "$0")/.."

cases="${SIDEKICK_EVAL_CASES:-../shared/cases/dev}"
out="${SIDEKICK_EVAL_OUT:-$(mktemp -d -t sidekick-eval-XXXXXX)}"
floors="${SIDEKICK_EVAL_FLOORS:-eval/floors.txt}"

args=()
count=0
lineno=0
while read -r metric bound value rest || [[ -n "${metric:-}" ]]; do
  lineno=$((lineno + 1))
  case "${metric:-}" in ''|'#'*) continue ;; esac
  if [[ -z "${value:-}" || -n "${rest:-}" ]]; then
    echo "Error: $floors:$lineno: expected 'METRIC min|max VALUE'" >&2; exit 2
  fi
  case "$bound" in
    min) args+=(--fail-under "$metric=$value"); count=$((count + 1)) ;;
    max) args+=(--fail-over "$metric=$value"); count=$((count + 1)) ;;
    *) echo "Error: $floors:$lineno: bound must be min or max, got '$bound'" >&2; exit 2 ;;
  esac
done < "$floors"

echo "eval: $count floor(s) from $floors; reports in $out" >&2
python -m eval "$cases" -o "$out" --no-progress "${args[@]}"
