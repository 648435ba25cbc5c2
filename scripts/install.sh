#!/usr/bin/env bash
# Builds the suite, installs it under PREFIX (default /usr/local) and starts kea-dhcp4 on the
# default memfile configuration. Installs every binary the build produced plus keactrl into
# $PREFIX/sbin, the default configurations and keactrl.conf into CONF_DIR, and, where systemd
# is present, one unit per daemon into SYSTEMD_UNIT_DIR without enabling any. Existing
# configuration files and unit files are never overwritten.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${PREFIX:-/usr/local}
CONF_DIR=${CONF_DIR:-$PREFIX/etc/kea}
SYSTEMD_UNIT_DIR=${SYSTEMD_UNIT_DIR:-/etc/systemd/system}

cargo build --release --locked
install -d "$PREFIX/sbin" "$CONF_DIR" /var/lib/kea /var/log/kea /run/kea

# Binaries: whichever of the suite's programs this tree builds.
installed=()
for bin in kea-dhcp4 kea-dhcp6 kea-dhcp-ddns kea-ctrl-agent kea-shell kea-lfc kea-admin; do
    if [ -x "target/release/$bin" ]; then
        install -m 0755 "target/release/$bin" "$PREFIX/sbin/$bin"
        installed+=("$bin")
    fi
done
has_bin() { [ -x "$PREFIX/sbin/$1" ]; }

# keactrl looks for its keactrl.conf in CONF_DIR.
sed -e "s|^keactrl_conf_default=.*|keactrl_conf_default=$CONF_DIR/keactrl.conf|" \
    scripts/keactrl >"$PREFIX/sbin/keactrl.new"
chmod 0755 "$PREFIX/sbin/keactrl.new"
mv "$PREFIX/sbin/keactrl.new" "$PREFIX/sbin/keactrl"
echo "installed into $PREFIX/sbin: ${installed[*]} keactrl"

# Configurations. keactrl.conf gets the installed paths and manages only installed servers.
for conf in etc/kea/*.conf; do
    name=$(basename "$conf")
    dest="$CONF_DIR/$name"
    if [ -e "$dest" ]; then
        echo "kept existing $dest"
        continue
    fi
    if [ "$name" = keactrl.conf ]; then
        edits=(-e "s|^prefix=.*|prefix=$PREFIX|" -e "s|\${prefix}/etc/kea|$CONF_DIR|")
        for pair in dhcp4:kea-dhcp4 dhcp6:kea-dhcp6 dhcp_ddns:kea-dhcp-ddns ctrl_agent:kea-ctrl-agent; do
            has_bin "${pair#*:}" || edits+=(-e "s|^${pair%%:*}=yes|${pair%%:*}=no|")
        done
        sed "${edits[@]}" "$conf" >"$dest"
        chmod 0644 "$dest"
    else
        install -m 0644 "$conf" "$dest"
    fi
done

# systemd units, for the installed daemons only, with the installed paths. A unit of the same
# name that a distribution package ships (Debian's kea-ctrl-agent.service) is left in charge:
# ours in /etc/systemd/system would silently take its place.
if command -v systemctl >/dev/null 2>&1; then
    install -d "$SYSTEMD_UNIT_DIR"
    for unit in etc/systemd/*.service; do
        name=$(basename "$unit")
        has_bin "${name%.service}" || continue
        dest="$SYSTEMD_UNIT_DIR/$name"
        if [ -e "$dest" ]; then
            echo "kept existing $dest"
        elif [ -e "/lib/systemd/system/$name" ] || [ -e "/usr/lib/systemd/system/$name" ]; then
            echo "not installing $name: a package provides a unit of that name (ours: $unit)"
        else
            sed -e "s|/usr/local/sbin/|$PREFIX/sbin/|g" -e "s|/usr/local/etc/kea/|$CONF_DIR/|g" \
                "$unit" >"$dest"
            chmod 0644 "$dest"
            echo "installed $dest (not enabled: systemctl enable --now $name)"
        fi
    done
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
    fi
fi

export KEA_PIDFILE_DIR=/run/kea
"$PREFIX/sbin/kea-dhcp4" -t "$CONF_DIR/kea-dhcp4.conf"
nohup "$PREFIX/sbin/kea-dhcp4" -c "$CONF_DIR/kea-dhcp4.conf" >/var/log/kea/kea-dhcp4.out 2>&1 &
echo "kea-dhcp4 started (pid $!); control socket /run/kea/kea4-ctrl-socket"
