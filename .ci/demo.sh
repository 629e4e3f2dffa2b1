#!/usr/bin/env bash
# The README's main job: a WALT server on the embedded database, in a network namespace this script creates
# (walt-net and its addresses never touch the host's namespace), with a virtual node network-booted from the
# default image. The CLI talks to the server through its unix socket. Ctrl-C stops everything and removes
# the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
WALT="$PWD/dist/walt"
DATA="${WALT_DEMO_DIR:-$PWD/.tmp/demo}"
NS="${WALT_DEMO_NS:-walt-demo}"
IMAGE="${WALT_DEMO_IMAGE:-debian}"   # debian (systemd, minutes under TCG) or busybox (seconds)
mkdir -p "$DATA"
# Default node images, built once from Debian packages and cached (minutes the first time for Debian).
CACHE="${WALT_IMAGE_CACHE:-$HOME/.cache/walt/image-recipes}"
LAYOUTS="$CACHE/layouts"
for img in busybox debian; do
  echo "+ default image '$img' (cached in $LAYOUTS/$img)"
  node_modules/.bin/bun server/images/defaults/build.ts "$img" "$LAYOUTS/$img" --cache-dir "$CACHE"
done
printf 'data-dir: "%s"\ndefault-images: "%s"\nnetboot: true\n' "$DATA" "$LAYOUTS" > "$DATA/server.conf"
export WALT_CONFIG="$DATA/client.conf" WALT_SERVER="unix:$DATA/walt.sock" WALT_USER="${WALT_USER:-demo}"

cleanup() {
  set +e
  [ -n "${server:-}" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  for p in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
  grep -o " $DATA[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT INT TERM
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" "$WALT" server --config "$DATA/server.conf" --port 80 --listen 127.0.0.1 &
server=$!
for _ in $(seq 200); do [ -S "$DATA/walt.sock" ] && "$WALT" node show >/dev/null 2>&1 && break; sleep 0.2; done
default_name=pc-x86-64-default
[ "$IMAGE" = busybox ] && default_name=pc-x86-64-busybox
echo "+ walt image show"; "$WALT" image show
"$WALT" node show --names-only | grep -qx vn1 || { echo "+ walt node create vn1"; "$WALT" node create vn1; }
if [ "$IMAGE" = busybox ]; then echo "+ walt node boot vn1 $default_name"; "$WALT" node boot vn1 "$default_name" || true; fi
echo "+ walt node wait vn1 --timeout 600"; "$WALT" node wait vn1 --timeout 600
echo "+ walt node show"; "$WALT" node show
echo "+ walt log show --platform --history full"; "$WALT" log show --platform --history full
echo
echo "Server and node vn1 running in network namespace $NS (data in $DATA)."
echo "Try: WALT_CONFIG=$WALT_CONFIG WALT_SERVER=$WALT_SERVER $WALT node show"
echo "Press Ctrl-C to stop them."
wait "$server"
