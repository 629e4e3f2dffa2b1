#!/bin/sh
# /sbin/init of WALT's busybox test image (waltplatform/pc-x86-64-busybox), PID 1 once the initramfs or the
# agent hands over: early mounts (kept when already done), the image's boot hooks, a console shell, then it waits
# forever. busybox's reboot/poweroff/halt signal PID 1 (TERM/USR2/USR1), handled here.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mounted() { grep -q " $1 " /proc/mounts 2>/dev/null; }
mounted /proc || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mounted /dev/pts || mount -t devpts devpts /dev/pts
mounted /run || mount -t tmpfs -o mode=0755 tmpfs /run
exec </dev/console >/dev/console 2>&1

trap 'sync; reboot -f' TERM
trap 'sync; poweroff -f' USR2
trap 'sync; halt -f' USR1

echo "walt busybox image: /sbin/init on $(hostname)"
[ -x /etc/walt/on-boot ] && /etc/walt/on-boot
if [ -d /etc/walt/on-boot.d ]; then
  for hook in /etc/walt/on-boot.d/*; do
    [ -x "$hook" ] && "$hook"
  done
fi

# A shell on the console, started again when it exits.
(while true; do setsid cttyhack sh -l; sleep 1; done) &

# PID 1 must never exit; `wait` also reaps the orphans the kernel hands to it.
while true; do
  sleep 3600 &
  wait $!
done
