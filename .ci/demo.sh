#!/usr/bin/env bash
# The README's main job: start a WALT server on an embedded database and drive it with the CLI.
# The server stays in the foreground until Ctrl-C (SIGINT stops it gracefully).
set -euo pipefail
cd "$(dirname "$0")/.."
WALT="$PWD/dist/walt"
DATA="${WALT_DEMO_DIR:-$PWD/.tmp/demo}"
PORT="${WALT_DEMO_PORT:-12380}"
mkdir -p "$DATA"
export WALT_CONFIG="$DATA/client.conf" WALT_SERVER="127.0.0.1:$PORT" WALT_USER="${WALT_USER:-demo}"
"$WALT" server --data-dir "$DATA" --port "$PORT" --listen 127.0.0.1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server' EXIT INT TERM
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
echo "+ walt node show --all"; "$WALT" node show --all || true
echo "+ walt device show"; "$WALT" device show || true
echo "+ walt log show --platform --history full"; "$WALT" log show --platform --history full || true
echo
echo "Server running at http://127.0.0.1:$PORT (data in $DATA). Try: WALT_CONFIG=$WALT_CONFIG $WALT node show"
echo "Press Ctrl-C to stop it."
wait $server
