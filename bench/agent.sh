#!/usr/bin/env bash
# kea-ctrl-agent throughput: the load of tests/tests/agent_load.rs (THREADS client threads,
# each with one keep-alive HTTP connection, REQUESTS forwarded commands each, alternating
# `statistic-get` and `status-get` to kea-dhcp4, every answer checked against its request),
# timed, for our release agent in front of our release kea-dhcp4 and, when installed, ISC
# Kea 2.2's agent in front of Kea's kea-dhcp4. Runs alternate; prints requests/s per run and
# the median per stack as a Markdown table.
#
# Usage:  cargo build --release -p kea-ctrl-agent -p kea-dhcp4 && bench/agent.sh [RUNS]
#         (RUNS: 1..10, default 3)
# Environment: THREADS (1..16, default 8), REQUESTS (per thread, default 500),
# KEA=0 skips Kea 2.2's stack, KEA_AGENT / KEA_DHCP4 (default /usr/sbin/...).
set -euo pipefail

RUNS="${1:-3}"
if ! [[ "$RUNS" =~ ^[0-9]+$ ]] || ((RUNS < 1 || RUNS > 10)); then
    echo "agent.sh: RUNS must be 1..10" >&2
    exit 1
fi
THREADS="${THREADS:-8}"
REQUESTS="${REQUESTS:-500}"
if ! [[ "$THREADS" =~ ^[0-9]+$ ]] || ((THREADS < 1 || THREADS > 16)); then
    echo "agent.sh: THREADS must be 1..16" >&2
    exit 1
fi
if ! [[ "$REQUESTS" =~ ^[0-9]+$ ]] || ((REQUESTS < 1)); then
    echo "agent.sh: REQUESTS must be a positive number" >&2
    exit 1
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$HERE/.."
for bin in kea-ctrl-agent kea-dhcp4; do
    if [[ ! -x "$ROOT/target/release/$bin" ]]; then
        echo "agent.sh: target/release/$bin is missing (cargo build --release -p kea-ctrl-agent -p kea-dhcp4)" >&2
        exit 1
    fi
done
KEA_AGENT="${KEA_AGENT:-/usr/sbin/kea-ctrl-agent}"
KEA_DHCP4="${KEA_DHCP4:-/usr/sbin/kea-dhcp4}"
STACKS=(ours)
if [[ ${KEA:-1} != 0 && -x $KEA_AGENT && -x $KEA_DHCP4 ]]; then
    STACKS+=(kea)
fi

cd "$ROOT"
# Build the load test once (release, so it finds target/release's daemons).
cargo test --release -q -p kea-suite-tests --test agent_load --no-run >&2

# One timed run of stack $1; prints its requests/s.
run() {
    local out
    if [[ $1 == kea ]]; then
        out="$(KEA_AGENT_BIN="$KEA_AGENT" KEA_DHCP4_BIN="$KEA_DHCP4" \
            AGENT_LOAD_THREADS="$THREADS" AGENT_LOAD_REQUESTS="$REQUESTS" \
            cargo test --release -q -p kea-suite-tests --test agent_load -- --nocapture 2>&1)"
    else
        out="$(AGENT_LOAD_THREADS="$THREADS" AGENT_LOAD_REQUESTS="$REQUESTS" \
            cargo test --release -q -p kea-suite-tests --test agent_load -- --nocapture 2>&1)"
    fi
    local line
    line="$(grep -m1 '^RESULT ' <<<"$out" || true)"
    if [[ -z $line ]]; then
        echo "agent.sh: the $1 run failed:" >&2
        echo "$out" >&2
        exit 1
    fi
    sed -E 's/.*requests_per_s=([0-9]+).*/\1/' <<<"$line"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

declare -A RATES
echo "| run | stack | requests/s | load avg (1 min) |"
echo "|---|---|---|---|"
for ((i = 1; i <= RUNS; i++)); do
    # Alternate which stack goes first, so a drift in machine load hits both alike.
    order=("${STACKS[@]}")
    if ((i % 2 == 0)) && ((${#STACKS[@]} == 2)); then order=("${STACKS[1]}" "${STACKS[0]}"); fi
    for s in "${order[@]}"; do
        rate="$(run "$s")"
        RATES[$s]+="$rate "
        echo "| $i | $s | $rate | $(cut -d' ' -f1 /proc/loadavg) |"
    done
done
echo
for s in "${STACKS[@]}"; do
    # shellcheck disable=SC2086 # the rates are one word each
    echo "median $s: $(printf '%s\n' ${RATES[$s]} | median) requests/s ($THREADS threads x $REQUESTS requests)"
done
