#!/bin/sh
# /init of WALT's busybox initramfs (server/images/defaults/initramfs/init.sh, embedded in the walt binary and
# packed by server/images/defaults/initramfs.ts). Design from ../shared/lab/initrd-init.sh.
#
# Kernel command line (written by the image's /boot/pc-x86-64/start.ipxe):
#   walt.server=IP         NFS server (default: the DHCP next-server, else the DHCP server)
#   walt.root=PATH         NFSv4 path of the image root, mounted read-only
#   walt.persist=PATH      NFSv4 path mounted read-write on /persist (empty: no /persist)
#   walt.mac=MAC           boot interface (default: the first one found)
#   walt.hostname=NAME     node name when DHCP gives none
#   walt.model=MODEL       sent as DHCP vendor class walt.node.MODEL
#   walt.agent=PATH        the walt binary in the image (default /bin/walt): `walt agent init` runs if present
#   walt.init=PATH         init otherwise (default /sbin/init)
#   walt.rwsize=SIZE       size of the RAM overlay tmpfs (default 50%)
#   walt.agent_ra_kb=KB    NFS read-around of the image root while the agent starts (default 32; empty: unchanged)
#   walt.agent_pages=0     do not read the agent's pages ahead (walt-prefetch), nor learn them for the server
#   walt.debug=1           on failure, a console shell instead of a reboot
# Steps: modules, network (DHCP), unique hostname, NFS root read-only, tmpfs overlay, /persist, hand-over.
# What was done is recorded in /run/walt/boot.env (sourceable), which the agent or the image reads.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/walt/lower /run/walt/rw

log() {
  u=$(cat /proc/uptime /newroot/proc/uptime 2>/dev/null | head -n 1)
  echo "[walt-initramfs ${u%% *}] $*"
}
fail() {
  log "FAILED: $*"
  if [ "$W_debug" = 1 ]; then
    log "walt.debug=1: starting a shell (exit it to reboot)"
    setsid cttyhack sh
  else
    log "rebooting in 10 s (add walt.debug=1 to the kernel command line for a shell instead)"
    sleep 10
  fi
  reboot -f
}

W_server= W_root= W_persist= W_mac= W_model= W_debug= W_agent_ra_kb=32 W_agent_pages=1
W_agent=/bin/walt W_init=/sbin/init W_rwsize=50%
for a in $(cat /proc/cmdline); do
  case "$a" in
    walt.*=*)
      k=${a%%=*}; k=${k#walt.}
      case "$k" in *[!a-z0-9_]*|'') continue ;; esac
      v=${a#*=}
      eval "W_$k=\$v" ;;
  esac
done
W_mac=$(echo "$W_mac" | tr A-F a-f)
log "start"

while read -r m; do
  [ -n "$m" ] && { insmod "/lib/modules/$m" 2>/dev/null || log "insmod $m failed"; }
done < /lib/modules/order
log "modules loaded"

find_iface() {
  for d in /sys/class/net/*; do
    i=${d##*/}
    [ "$i" = lo ] && continue
    [ -r "$d/address" ] || continue
    if [ -z "$W_mac" ] || [ "$(cat "$d/address")" = "$W_mac" ]; then echo "$i"; return 0; fi
  done
  return 1
}
n=0
until IF=$(find_iface); do
  n=$((n + 1)); [ $n -gt 100 ] && fail "no network interface${W_mac:+ with MAC $W_mac}"
  sleep 0.1
done
ip link set lo up
ip link set "$IF" up
MAC=$(cat "/sys/class/net/$IF/address")

# NFSv4 names a client "Linux NFSv4.x <hostname>": with the default "(none)" two nodes booting at once share one
# client id and the server's state of the first is clobbered (EIO on /sbin/init). The MAC makes it unique.
hostname "walt-$(echo "$MAC" | tr -d :)"

n=0
until udhcpc -i "$IF" -s /bin/walt-udhcpc -q -n -t 5 -T 2 ${W_model:+-V "walt.node.$W_model"} >/dev/null 2>&1; do
  n=$((n + 1)); [ $n -ge 3 ] && fail "no DHCP answer on $IF ($MAC)"
  log "no DHCP answer on $IF yet, retrying"
done
. /run/walt/dhcp.env
W_server=${W_server:-${siaddr:-$serverid}}
[ -n "$W_server" ] || fail "no WALT server address (walt.server= or DHCP next-server)"
[ -n "$W_root" ] || fail "no walt.root= on the kernel command line"
log "dhcp: $IF $MAC ip=$ip server=$W_server"

# `bounded SECONDS CMD…`: CMD killed when it takes longer (busybox has no timeout(1) here).
bounded() {
  t=$1; shift
  "$@" & p=$!
  (sleep "$t"; kill "$p") >/dev/null 2>&1 & w=$!
  wait "$p"; r=$?
  kill "$w" 2>/dev/null
  return $r
}

# The image never changes while mounted: cache attributes for long, and over NFSv3 with nocto, as WALT's nfsroot
# options do. v4 would send an OPEN (and a CLOSE) per open(2) a booting system makes; v3 + nocto sends nothing
# for a file whose attributes are cached (docs/netboot.md, "NFSv3 and rpcbind"). MOUNT's port is fixed on the
# server (20048), so no rpcbind lookup; a server without NFSv3 (no rpcbind there) is mounted over NFSv4.1.
NFS_AC="acregmin=157680000,acregmax=157680000,acdirmin=157680000,acdirmax=157680000"
NFS_V3="ro,vers=3,nolock,nocto,proto=tcp,port=2049,mountport=20048,mountproto=tcp,addr=$W_server,$NFS_AC"
NFS_V4="ro,vers=4.1,addr=$W_server,$NFS_AC"
# Each attempt bounded: a MOUNT or NFS call the server drops costs the kernel timeo=600 (60 s) per try, three
# tries, before it gives up; a killed attempt is retried at once instead.
mount_root() {
  bounded 20 mount -t nfs -o "$NFS_V3" "$W_server:$W_root" /run/walt/lower 2>/dev/null && NFS_VERS=3 && return 0
  bounded 20 mount -t nfs4 -o "$NFS_V4" "$W_server:$W_root" /run/walt/lower && NFS_VERS=4.1
}
n=0
until mount_root; do
  n=$((n + 1)); [ $n -ge 5 ] && fail "cannot mount the image root $W_server:$W_root over NFS (v3 or v4.1)"
  sleep 1
done
log "image root mounted over NFSv$NFS_VERS ($W_server:$W_root)"
# Smaller read-around while the agent starts: the kernel reads read_ahead_kb around each page a program faults
# in, and the ~100 MB agent binary touches ~14 MB scattered over its file (52 MB on walt-net per boot with the
# default 128 KB, 36 MB with 32 KB, 20 MB with 0 but a 2x slower start: bench/boot.ts). The agent puts the
# default back before the image's init runs (its step read-ahead, from boot.env). walt.agent_ra_kb= changes it.
LOWER_BDI=$(awk '$5 == "/run/walt/lower" { print $3 }' /proc/self/mountinfo)
LOWER_RA=
if [ -n "$W_agent_ra_kb" ] && [ -w "/sys/class/bdi/$LOWER_BDI/read_ahead_kb" ]; then
  LOWER_RA=$(cat "/sys/class/bdi/$LOWER_BDI/read_ahead_kb")
  echo "$W_agent_ra_kb" > "/sys/class/bdi/$LOWER_BDI/read_ahead_kb" || LOWER_RA=
fi

# The agent's pages, read ahead in one go (docs/netboot.md, "Reading the agent ahead"). The server answers the
# byte ranges an agent of its build touched at start (`prefetch SIZE` + ranges): walt-prefetch asks the kernel for
# all of them at once, so the NFS READs go out in parallel instead of one round trip per page fault. Without ranges
# yet, one node is told `learn`: its agent starts with no read-around at all, so what it then finds of its file in
# the page cache is what it touched, and its step read-ahead posts that before restoring the read-around.
# Debian's static busybox wget has no -T (and crashes on it): `bounded` bounds it instead.
AGENT_PAGES=none AGENT_PREFETCH=
case "$W_server" in *:*) HTTP_HOST="[$W_server]" ;; *) HTTP_HOST=$W_server ;; esac
if [ "$W_agent_pages" = 0 ] || [ ! -e "/run/walt/lower$W_agent" ]; then
  :
elif ! bounded 5 wget -q -O /run/walt/agent-pages "http://$HTTP_HOST/api/node/v1/agent-pages?mac=$MAC&learn=${LOWER_RA:+1}"; then
  log "no read-ahead plan for the agent from the server (wget failed or took over 5 s)"
else
  read -r verb _ < /run/walt/agent-pages
  case "$verb" in
    prefetch)
      AGENT_PREFETCH=$(walt-prefetch "/run/walt/lower$W_agent" < /run/walt/agent-pages) && AGENT_PAGES=prefetched
      log "${AGENT_PREFETCH:-walt-prefetch failed}" ;;
    learn)
      [ -n "$LOWER_RA" ] && echo 0 > "/sys/class/bdi/$LOWER_BDI/read_ahead_kb" && AGENT_PAGES=learn &&
        log "learning the agent's pages for the server (no read-around while it starts)" ;;
  esac
fi

mount -t tmpfs -o "size=$W_rwsize,mode=0755" tmpfs /run/walt/rw || fail "cannot mount the RAM overlay tmpfs"
mkdir -p /run/walt/rw/upper /run/walt/rw/work
mount -t overlay -o lowerdir=/run/walt/lower,upperdir=/run/walt/rw/upper,workdir=/run/walt/rw/work overlay /newroot ||
  fail "cannot mount the overlay root"

PERSIST=no
if [ -n "$W_persist" ]; then
  mkdir -p /newroot/persist
  if mount -t nfs4 -o "rw,vers=4.1,addr=$W_server" "$W_server:$W_persist" /newroot/persist; then
    PERSIST=yes
  else
    log "/persist was not mounted (cf. walt node config)"
  fi
fi

# The node's name from DHCP (or iPXE) once the NFS client id is settled.
NAME=${hostname:-$W_hostname}
[ -n "$NAME" ] && hostname "$NAME"
{
  echo "server='$W_server'"
  echo "iface='$IF'"
  echo "mac='$MAC'"
  echo "root='$W_root'"
  echo "persist='$W_persist'"
  echo "persist_mounted='$PERSIST'"
  echo "lower='/run/walt/lower'"
  echo "rw='/run/walt/rw'"
  [ -n "$LOWER_RA" ] && echo "lower_bdi='$LOWER_BDI'" && echo "lower_read_ahead_kb='$LOWER_RA'"
  echo "agent_pages='$AGENT_PAGES'"
  [ -n "$AGENT_PREFETCH" ] && echo "agent_prefetch='$AGENT_PREFETCH'"
  cat /run/walt/dhcp.env
} > /run/walt/boot.env

# Hand the early mounts to the new root (systemd and busybox init keep mounted /dev, /proc, /sys and /run).
for d in dev proc sys run; do
  mkdir -p "/newroot/$d" && mount --move "/$d" "/newroot/$d"
done

if [ -e "/newroot$W_agent" ] || [ -L "/newroot$W_agent" ]; then
  log "handing over to $W_agent agent init"
  exec switch_root /newroot "$W_agent" agent init
fi
[ -e "/newroot$W_init" ] || [ -L "/newroot$W_init" ] || fail "the image has no $W_init"
log "handing over to $W_init"
exec switch_root /newroot "$W_init"
echo "[walt-initramfs] switch_root failed"; sleep 10; reboot -f
