#!/usr/bin/env bash
# Alternating throughput runs of ours and ISC Kea 2.2 with bench/perfdhcp4.sh, as a Markdown
# table: on a shared machine only the ratio of neighbouring runs means something.
#
# Usage (as root):  bench/compare.sh [PAIRS]        (PAIRS: 1..10, default 3)
# The environment (PERIOD, STEPS, RATE_START, CLIENTS, MAX_DROP, OURS) is passed through;
# OURS is the path of our kea-dhcp4 (default target/release/kea-dhcp4).
set -euo pipefail

PAIRS="${1:-3}"
if ! [[ "$PAIRS" =~ ^[0-9]+$ ]] || ((PAIRS < 1 || PAIRS > 10)); then
    echo "compare.sh: PAIRS must be 1..10" >&2
    exit 1
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
OURS="${OURS:-$HERE/../target/release/kea-dhcp4}"
LOG="$(mktemp /tmp/perfdhcp4-compare.XXXXXX)"
trap 'rm -f "$LOG"' EXIT

# One run: "best_rate leases_per_s drops loadavg" from the RESULT line, or "- - - load".
run() {
    local who=$1 bin=$2 load res
    load=$(cut -d' ' -f1 /proc/loadavg)
    if SERVER="$bin" "$HERE/perfdhcp4.sh" >"$LOG" 2>&1; then
        res=$(grep '^RESULT' "$LOG" | tail -1)
        echo "$(sed -E 's/.*best_rate=([^ ]+) leases_per_s=([^ ]+) drops_pct=([^ ]+).*/\1 \2 \3/' <<<"$res") $load"
    else
        echo "run of $who failed:" >&2
        tail -5 "$LOG" >&2
        echo "- - - $load"
    fi
}

echo "| pair | server | best rate (exch/s) | leases/s at best | drops D-O/R-A % | load avg (1 min) | ours / kea |"
echo "|---|---|---|---|---|---|---|"
for i in $(seq 1 "$PAIRS"); do
    # Alternate which server goes first, so a trend in the load hits both alike.
    if ((i % 2 == 1)); then order="ours kea"; else order="kea ours"; fi
    declare -A rate=() line=()
    for who in $order; do
        if [[ $who == ours ]]; then bin="$OURS"; else bin=/usr/sbin/kea-dhcp4; fi
        read -r best leases drops load < <(run "$who" "$bin")
        rate[$who]=$leases
        line[$who]="| $i | $who | $best | $leases | $drops | $load |"
    done
    ratio=$(awk -v a="${rate[ours]}" -v b="${rate[kea]}" \
        'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
    for who in $order; do
        echo "${line[$who]} $ratio |"
    done
done
