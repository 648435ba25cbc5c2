#!/usr/bin/env bash
# Whole-server DHCPv6 throughput: perfdhcp -6 against one kea-dhcp6 (ours or ISC Kea 2.2),
# the DHCPv6 twin of bench/perfdhcp4.sh.
#
# Two network namespaces joined by a veth pair (duplicate address detection off); the server
# answers on its UDP socket (ff02::1:2 joined on the veth) in one, perfdhcp runs SARR
# exchanges (SOLICIT-ADVERTISE, REQUEST-REPLY, one IA_NA each) from the other's link-local
# address. The figure is ISC's usual one: the highest exchange rate that perfdhcp sustains
# with at most MAX_DROP percent of the exchanges dropped, found with a short bounded search
# (doubling, then bisection).
#
# Usage (as root):
#   bench/perfdhcp6.sh [ours|kea|/path/to/kea-dhcp6]      (or SERVER=ours|kea|PATH)
#   bench/perfdhcp6.sh compare [PAIRS]    PAIRS (1..10, default 3) alternating runs of ours
#                                         and /usr/sbin/kea-dhcp6, as a Markdown table
#
# Tunables (environment):
#   RATE_START=500   first rate tried (exchanges/s)
#   PERIOD=5         seconds per perfdhcp step (at most 10)
#   STEPS=8          perfdhcp steps in the search (at most 12)
#   CLIENTS=10000    distinct clients (perfdhcp -R); the pool holds 65536 addresses
#   MT=0             Kea's multi-threading: 0 = off (Kea 2.2's default), N = on with a pool
#                    of N threads (ours reads the key and serves with one worker anyway)
#   MAX_DROP=2.5     drop percentage (per exchange, SOLICIT-ADVERTISE and REQUEST-REPLY) that
#                    still passes
#
# Prints one line per step and a final "RESULT" line:
#   RESULT server=... best_rate=... leases_per_s=... drops_pct=... lease_rows=...
# Exit status: 0 when a passing rate was found and the lease file holds rows, 1 otherwise.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OURS_DEFAULT="${OURS:-$HERE/../target/release/kea-dhcp6}"
KEA_DEFAULT=/usr/sbin/kea-dhcp6

# compare mode: alternating runs of this script for both servers; only the ratio of
# neighbouring runs means something on a shared machine.
if [[ "${1:-}" == compare ]]; then
    PAIRS="${2:-3}"
    if ! [[ "$PAIRS" =~ ^[0-9]+$ ]] || ((PAIRS < 1 || PAIRS > 10)); then
        echo "perfdhcp6.sh: PAIRS must be 1..10" >&2
        exit 1
    fi
    LOG="$(mktemp /tmp/perfdhcp6-compare.XXXXXX)"
    trap 'rm -f "$LOG"' EXIT
    # One run: "best_rate leases_per_s drops loadavg" from the RESULT line, or "- - - load".
    run() {
        local who=$1 bin=$2 load res
        load=$(cut -d' ' -f1 /proc/loadavg)
        if SERVER="$bin" "$0" >"$LOG" 2>&1; then
            res=$(grep '^RESULT' "$LOG" | tail -1)
            echo "$(sed -E 's/.*best_rate=([^ ]+) leases_per_s=([^ ]+) drops_pct=([^ ]+).*/\1 \2 \3/' <<<"$res") $load"
        else
            echo "run of $who failed:" >&2
            tail -5 "$LOG" >&2
            echo "- - - $load"
        fi
    }
    echo "| pair | server | best rate (exch/s) | leases/s at best | drops S-A/R-R % | load avg (1 min) | ours / kea |"
    echo "|---|---|---|---|---|---|---|"
    for i in $(seq 1 "$PAIRS"); do
        # Alternate which server goes first, so a trend in the load hits both alike.
        if ((i % 2 == 1)); then order="ours kea"; else order="kea ours"; fi
        declare -A rate=() line=()
        for who in $order; do
            if [[ $who == ours ]]; then bin="$OURS_DEFAULT"; else bin="$KEA_DEFAULT"; fi
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
    exit 0
fi

SERVER="${1:-${SERVER:-ours}}"
case "$SERVER" in
ours) BIN="$OURS_DEFAULT" ;;
kea) BIN="$KEA_DEFAULT" ;;
*) BIN="$SERVER" ;;
esac
RATE_START="${RATE_START:-500}"
PERIOD="${PERIOD:-5}"
STEPS="${STEPS:-8}"
CLIENTS="${CLIENTS:-10000}"
MAX_DROP="${MAX_DROP:-2.5}"
MT="${MT:-0}"

die() {
    echo "perfdhcp6.sh: $*" >&2
    exit 1
}
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
[[ -x "$BIN" ]] || die "server binary '$BIN' not found or not executable"
command -v perfdhcp >/dev/null || die "perfdhcp not found (Debian package kea-admin)"
# in_range NAME VALUE MIN MAX: VALUE is a decimal integer within MIN..MAX, or the script stops.
in_range() {
    if ! [[ "$2" =~ ^[0-9]+$ ]] || (($2 < $3 || $2 > $4)); then
        die "$1 must be an integer in $3..$4 (got '$2')"
    fi
}
in_range PERIOD "$PERIOD" 1 10
in_range STEPS "$STEPS" 1 12
in_range RATE_START "$RATE_START" 1 1000000
in_range MT "$MT" 0 16
in_range CLIENTS "$CLIENTS" 1 60000

# Names unique to this run: namespaces, veth ends (at most 15 characters), scratch dir.
TAG="$$"
NS_SRV="pd6srv-$TAG"
NS_CLI="pd6cli-$TAG"
IF_SRV="pd6s$TAG"
IF_CLI="pd6c$TAG"
WORK="$(mktemp -d /tmp/perfdhcp6.XXXXXX)"
SERVER_PID=""

cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    ip netns del "$NS_SRV" 2>/dev/null || true
    ip netns del "$NS_CLI" 2>/dev/null || true
    if [[ "${KEEP_WORK:-0}" == 1 ]]; then
        echo "scratch kept in $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- network -------------------------------------------------------------------------
ip netns add "$NS_SRV"
ip netns add "$NS_CLI"
# DAD off before the veth ends arrive (they inherit "default"), so that the link-local
# addresses are usable at once.
for ns in "$NS_SRV" "$NS_CLI"; do
    ip netns exec "$ns" sh -c 'echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad &&
        echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad'
done
ip link add "$IF_SRV" type veth peer name "$IF_CLI"
ip link set "$IF_SRV" netns "$NS_SRV"
ip link set "$IF_CLI" netns "$NS_CLI"
ip -n "$NS_SRV" link set lo up
ip -n "$NS_CLI" link set lo up
ip -n "$NS_SRV" addr add 2001:db8:1::1/64 dev "$IF_SRV" nodad
ip -n "$NS_SRV" link set "$IF_SRV" up
ip -n "$NS_CLI" link set "$IF_CLI" up
# Both ends need their link-local address before the server binds and perfdhcp sends.
for _ in $(seq 1 100); do
    if ip -n "$NS_SRV" -6 addr show dev "$IF_SRV" scope link | grep -q fe80 &&
        ip -n "$NS_CLI" -6 addr show dev "$IF_CLI" scope link | grep -q fe80; then
        break
    fi
    sleep 0.1
done

# --- server ------------------------------------------------------------------------------
LEASES="$WORK/leases6.csv"
CONF="$WORK/kea-dhcp6.conf"
if ((MT > 0)); then
    MT_CONF="\"multi-threading\": { \"enable-multi-threading\": true, \"thread-pool-size\": $MT, \"packet-queue-size\": 64 },"
else
    MT_CONF="\"multi-threading\": { \"enable-multi-threading\": false },"
fi
cat >"$CONF" <<EOF
{
  "Dhcp6": {
    "interfaces-config": { "interfaces": [ "$IF_SRV" ] },
    "server-id": { "type": "EN", "enterprise-id": 2495, "identifier": "0102" },
    "data-directory": "$WORK",
    "lease-database": { "type": "memfile", "persist": true, "name": "$LEASES", "lfc-interval": 0 },
    $MT_CONF
    "preferred-lifetime": 3000,
    "valid-lifetime": 4000,
    "renew-timer": 1000,
    "rebind-timer": 2000,
    "subnet6": [
      { "id": 1, "subnet": "2001:db8:1::/64", "interface": "$IF_SRV",
        "pools": [ { "pool": "2001:db8:1::1:0/112" } ] }
    ],
    "loggers": [
      { "name": "kea-dhcp6", "severity": "WARN",
        "output_options": [ { "output": "$WORK/server.log" } ] }
    ]
  }
}
EOF

echo "server: $BIN ($("$BIN" -v 2>/dev/null || echo '?')), multi-threading pool: $MT"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
KEA_PIDFILE_DIR="$WORK" KEA_LOCKFILE_DIR="$WORK" KEA_LFC_EXECUTABLE=/bin/true \
    ip netns exec "$NS_SRV" "$BIN" -c "$CONF" >"$WORK/server.out" 2>&1 &
SERVER_PID=$!

# One perfdhcp step: run_step RATE PERIOD CLIENTS -> writes $WORK/step.out, echoes its status.
run_step() {
    local rate=$1 period=$2 clients=$3 st=0
    timeout $((period + 15)) ip netns exec "$NS_CLI" \
        perfdhcp -6 -l "$IF_CLI" -r "$rate" -R "$clients" -p "$period" -W 500000 \
        >"$WORK/step.out" 2>&1 || st=$?
    echo "$st"
}

# Field of the final report: value EXCHANGE FIELD (EXCHANGE = SOLICIT-ADVERTISE |
# REQUEST-REPLY).
value() {
    awk -v ex="$1" -v f="$2" '
        /Statistics for:/ { cur = (index($0, ex) > 0); next }
        cur && index($0, f ":") == 1 { sub(/^[^:]*:[ \t]*/, ""); sub(/[ \t].*$/, ""); print; exit }
    ' "$WORK/step.out"
}

# Readiness: a few tiny exchanges until the server answers (bounded: 20 tries, ~30 s).
ready=0
for _ in $(seq 1 20); do
    kill -0 "$SERVER_PID" 2>/dev/null || {
        cat "$WORK/server.out" >&2
        die "server exited during start-up"
    }
    timeout 5 ip netns exec "$NS_CLI" perfdhcp -6 -l "$IF_CLI" -r 10 -n 5 -R 5 -W 200000 \
        >"$WORK/step.out" 2>&1 || true
    got=$(value REQUEST-REPLY "received packets")
    if [[ "${got:-0}" =~ ^[0-9]+$ ]] && ((got > 0)); then
        ready=1
        break
    fi
    sleep 0.5
done
((ready == 1)) || {
    cat "$WORK/server.out" "$WORK/step.out" >&2
    die "server never answered"
}

# --- search --------------------------------------------------------------------------
# pass = perfdhcp ran (status 0 or 3) and both exchanges stayed within MAX_DROP percent of
# drops in its final report (unanswered after the run plus a 0.5 s grace, -W).
# perfdhcp's own -D N% is not used: Kea 2.2's perfdhcp counts exchanges still in flight as
# drops and starts checking after 10 packets, so it aborted every run tried (down to 250/s).
best_rate=0 best_leases=0 best_drop=""
lo=0 hi=0 rate=$RATE_START
for step in $(seq 1 "$STEPS"); do
    st=$(run_step "$rate" "$PERIOD" "$CLIENTS")
    d_sent=$(value SOLICIT-ADVERTISE "sent packets")
    r_sent=$(value REQUEST-REPLY "sent packets")
    r_recv=$(value REQUEST-REPLY "received packets")
    d_drop=$(value SOLICIT-ADVERTISE "drops ratio")
    r_drop=$(value REQUEST-REPLY "drops ratio")
    achieved=$(awk '/^Rate:/ { print $2; exit }' "$WORK/step.out")
    if [[ "$st" != 0 && "$st" != 3 ]] || [[ -z "$r_recv" ]]; then
        echo "step $step: rate=$rate perfdhcp failed (status $st)"
        sed 's/^/    /' "$WORK/step.out" | tail -5
        pass=0
        r_recv=0
    else
        pass=$(awk -v a="${d_drop:-100}" -v b="${r_drop:-100}" -v m="$MAX_DROP" \
            'BEGIN { print (a + 0 <= m + 0 && b + 0 <= m + 0) ? 1 : 0 }')
    fi
    leases=$(awk -v n="$r_recv" -v p="$PERIOD" 'BEGIN { printf "%.0f", n / p }')
    printf 'step %d: rate=%-6s achieved=%-9s solicit=%-6s request=%-6s replies=%-7s leases/s=%-6s drops S-A=%s%% R-R=%s%% %s\n' \
        "$step" "$rate" "${achieved:-?}" "${d_sent:-?}" "${r_sent:-?}" "$r_recv" "$leases" \
        "${d_drop:-?}" "${r_drop:-?}" "$([[ $pass == 1 ]] && echo PASS || echo FAIL)"
    kill -0 "$SERVER_PID" 2>/dev/null || die "server died during the run"
    if ((pass == 1)); then
        lo=$rate
        if ((rate > best_rate)); then
            best_rate=$rate best_leases=$leases best_drop="$d_drop/$r_drop"
        fi
    else
        hi=$rate
    fi
    # Next rate: double until the first failure, then bisect; stop when the gap is < 5%.
    if ((hi == 0)); then
        rate=$((rate * 2))
    elif ((lo == 0)); then
        rate=$((hi / 2))
        ((rate >= 1)) || break
    else
        ((hi - lo > lo / 20)) || break
        rate=$(((lo + hi) / 2))
    fi
done

# --- proof the server answered --------------------------------------------------------
rows=0 addrs=0
if [[ -f "$LEASES" ]]; then
    rows=$(($(wc -l <"$LEASES") - 1))
    addrs=$(tail -n +2 "$LEASES" | cut -d, -f1 | sort -u | wc -l)
fi
echo "lease file: $rows rows, $addrs distinct addresses"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "RESULT server=$SERVER best_rate=$best_rate leases_per_s=$best_leases drops_pct=${best_drop:-none} lease_rows=$rows"
((rows > 0)) || die "the lease file holds no rows: the server did not really answer"
((best_rate > 0)) || die "no rate passed the ${MAX_DROP}% drop limit"
