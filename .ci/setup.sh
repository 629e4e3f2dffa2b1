#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine (Node, npm, git present; root; Debian 12):
# npm packages (Bun itself comes from npm), and Debian packages used by tests and benches.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(postgresql zsh wrk docker-registry umoci zstd buildah kmod busybox-static atftp tftp-hpa qemu-utils qemu-system-x86 ipxe-qemu nfs-ganesha nfs-ganesha-vfs iproute2 git nbd-server dnsmasq-base mmdebstrap curl nftables e2fsprogs)
missing=()
for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The Debian package starts its own cluster; tests start private ones and do not need it.
if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
