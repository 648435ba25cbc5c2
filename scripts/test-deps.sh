#!/usr/bin/env bash
# Installs what the real-world and interop tests need: ISC Kea 2.2 (the reference oracle),
# real DHCP clients, socat and jq. Debian packages only; safe to run again.
set -euo pipefail
pkgs=(kea-dhcp4-server kea-dhcp6-server kea-ctrl-agent kea-dhcp-ddns-server kea-admin
      isc-dhcp-client isc-dhcp-relay dhcpcd-base udhcpc socat jq curl iproute2 bind9 bind9-dnsutils)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "test-deps: not root, cannot install: ${missing[*]}" >&2
        exit 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The Debian packages start Kea's own daemons; tests run their own instances.
    for s in kea-dhcp4-server kea-dhcp6-server kea-ctrl-agent kea-dhcp-ddns-server; do
        systemctl stop "$s" >/dev/null 2>&1 || true
    done
fi
if ! cargo nextest --version >/dev/null 2>&1; then
    cargo install --locked cargo-nextest >/dev/null
fi
