#!/usr/bin/env bash
# The README's test command: set-up, strict type check, type-aware lint, binary build, all tests.
# Ends with one plain "N passed, N failed" line summarising the bun test run.
set -uo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh || exit 1
PATH="$PWD/node_modules/.bin:$PATH"
echo "== tsc --noEmit"; tsc --noEmit -p . || exit 1
echo "== eslint"; eslint --max-warnings 0 . || exit 1
echo "== build"; bun build.ts || exit 1
echo "== bun test"
log=$(mktemp)
# --timeout: bun 1.4.5 left a test without its own timeout at its 5 s default despite bunfig.toml's
# [test] timeout (a buildah build of test/cli/image-content-build.test.ts timed out at 5006 ms on a loaded run).
bun test --timeout 60000 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
pass=$(grep -Eo '^ *[0-9]+ pass$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
fail=$(grep -Eo '^ *[0-9]+ fail$' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
rm -f "$log"
echo "${pass} passed, ${fail} failed"
if [ "$pass" = 0 ]; then echo "no test ran"; exit 1; fi
exit "$status"
