#!/usr/bin/env bash
# Builds the suite, installs it under PREFIX (default /usr/local) and starts kea-dhcp4 on the
# default memfile configuration. Existing configuration files are never overwritten.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
CONF_DIR=${CONF_DIR:-$PREFIX/etc/kea}

cargo build --release --locked
install -d "$PREFIX/sbin" "$CONF_DIR" /var/lib/kea /var/log/kea /run/kea
for bin in kea-dhcp4; do
    install -m 0755 "target/release/$bin" "$PREFIX/sbin/$bin"
done
for conf in etc/kea/*.conf; do
    dest="$CONF_DIR/$(basename "$conf")"
    [ -e "$dest" ] || install -m 0644 "$conf" "$dest"
done

export KEA_PIDFILE_DIR=/run/kea
"$PREFIX/sbin/kea-dhcp4" -t "$CONF_DIR/kea-dhcp4.conf"
nohup "$PREFIX/sbin/kea-dhcp4" -c "$CONF_DIR/kea-dhcp4.conf" >/var/log/kea/kea-dhcp4.out 2>&1 &
echo "kea-dhcp4 started (pid $!); control socket /run/kea/kea4-ctrl-socket"
