#!/bin/sh
# udhcpc event script of WALT's initramfs (/bin/walt-udhcpc): configure the interface and record the lease in
# /run/walt/dhcp.env (sourceable; quotes are stripped from the server's values).
case "$1" in
  deconfig)
    ip addr flush dev "$interface"
    ip link set "$interface" up
    ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" ${broadcast:+broadcast "$broadcast"} dev "$interface"
    for r in $router; do ip route add default via "$r" dev "$interface" && break; done
    for k in ip mask subnet router serverid siaddr hostname domain dns boot_file; do
      eval "v=\${$k}"
      printf "%s='%s'\n" "$k" "$(printf %s "$v" | tr -d "'")"
    done > /run/walt/dhcp.env
    ;;
esac
exit 0
