#!/usr/bin/env bash
# The README's main job: start a WALT server on an embedded database and drive it with the CLI.
# The server stays in the foreground until Ctrl-C (SIGINT stops it gracefully).
set -euo pipefail
cd "$(dirname "$0")/.."
WALT="$PWD/dist/walt"
DATA="${WALT_DEMO_DIR:-$PWD/.tmp/demo}"
PORT="${WALT_DEMO_PORT:-12380}"
mkdir -p "$DATA"
# Default node images, built once from Debian packages and cached (minutes the first time for Debian).
CACHE="${WALT_IMAGE_CACHE:-$HOME/.cache/walt/image-recipes}"
LAYOUTS="$CACHE/layouts"
for img in busybox debian; do
  echo "+ building default image '$img' (cached in $LAYOUTS/$img)"
  node_modules/.bin/bun server/images/defaults/build.ts "$img" "$LAYOUTS/$img" --cache-dir "$CACHE"
done
# Network boot of virtual nodes needs the server inside its own network namespace: not in this demo yet.
printf 'default-images: "%s"\nnetboot: false\n' "$LAYOUTS" > "$DATA/server.conf"
export WALT_CONFIG="$DATA/client.conf" WALT_SERVER="127.0.0.1:$PORT" WALT_USER="${WALT_USER:-demo}"
"$WALT" server --config "$DATA/server.conf" --data-dir "$DATA" --port "$PORT" --listen 127.0.0.1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server' EXIT INT TERM
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
echo "+ walt image show"; "$WALT" image show || true
echo "+ walt node show --all"; "$WALT" node show --all || true
echo "+ walt device show"; "$WALT" device show || true
echo "+ walt log show --platform --history full"; "$WALT" log show --platform --history full || true
echo
echo "Server running at http://127.0.0.1:$PORT (data in $DATA). Try: WALT_CONFIG=$WALT_CONFIG $WALT node show"
echo "Press Ctrl-C to stop it."
wait $server
