#!/usr/bin/env bash
# kea-lfc benchmark: ours against ISC Kea 2.2's on one generated DHCPv4 lease file, run on
# identical copies, alternating, with wall time and peak RSS from `/usr/bin/time -v`; both
# compacted files must be byte-identical. Prints a Markdown table.
#
# Usage:  cargo build --release -p kea-lfc && bench/lfc.sh [RUNS]      (RUNS: 1..10, default 3)
# Environment: LEASES (distinct leases, default 200000), UPDATES (rows per lease, default 5;
# every 10th lease's last row deletes it), OURS (default target/release/kea-lfc),
# KEA (default /usr/sbin/kea-lfc), KEEP=1 keeps the scratch directory.
set -euo pipefail

RUNS="${1:-3}"
if ! [[ "$RUNS" =~ ^[0-9]+$ ]] || ((RUNS < 1 || RUNS > 10)); then
    echo "lfc.sh: RUNS must be 1..10" >&2
    exit 1
fi
LEASES="${LEASES:-200000}"
UPDATES="${UPDATES:-5}"
HERE="$(cd "$(dirname "$0")" && pwd)"
OURS="${OURS:-$HERE/../target/release/kea-lfc}"
KEA="${KEA:-/usr/sbin/kea-lfc}"
for bin in "$OURS" "$KEA"; do
    if [[ ! -x $bin ]]; then
        echo "lfc.sh: $bin is missing (cargo build --release -p kea-lfc)" >&2
        exit 1
    fi
done
if [[ ! -x /usr/bin/time ]]; then
    echo "lfc.sh: /usr/bin/time is missing (apt-get install time)" >&2
    exit 1
fi
WORK="$(mktemp -d /tmp/lfc-bench.XXXXXX)"
if [[ ${KEEP:-0} != 1 ]]; then trap 'rm -rf "$WORK"' EXIT; fi

# The input: LEASES leases, each written UPDATES times (renewals with a later expiry),
# in rounds as a server would append them. Half have a client-id, a third a hostname with
# DNS flags, some end declined (state 1) or expired-reclaimed (state 2), one in a thousand
# has a user context (commas escaped as Kea writes them), every tenth is deleted at the end
# (valid_lifetime 0).
python3 - "$LEASES" "$UPDATES" >"$WORK/leases4.csv" <<'EOF'
import sys
leases, updates = int(sys.argv[1]), int(sys.argv[2])
out = sys.stdout
out.write("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,"
          "hostname,state,user_context\n")
base = (10 << 24) + 1
for r in range(updates):
    last = r == updates - 1
    rows = []
    for i in range(leases):
        a = base + i
        addr = f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"
        hw = f"02:00:{i >> 24 & 255:02x}:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"
        cid = "01:" + hw if i % 2 == 0 else ""
        valid = 0 if last and i % 10 == 0 else 3600
        expire = 1900000000 + r * 900 + i % 600
        fqdn, host = ("1", f"host-{i}.example.org.") if i % 3 == 0 else ("0", "")
        state = 0
        if last and i % 97 == 1:
            state = 1
        elif last and i % 89 == 1:
            state = 2
        ctx = f'{{ "bench": {{ "i": {i}&#x2c "round": {r} }} }}' if i % 1000 == 7 else ""
        rows.append(f"{addr},{hw},{cid},{valid},{expire},{1 + (i >> 16)},{fqdn},{fqdn},"
                    f"{host},{state},{ctx}\n")
    out.write("".join(rows))
EOF
ROWS=$(($(wc -l <"$WORK/leases4.csv") - 1))
SIZE=$(du -m "$WORK/leases4.csv" | cut -f1)
echo '{ "Dhcp4": { } }' >"$WORK/kea-dhcp4.conf"

# One run of `bin` on a fresh copy in WORK/<who>.<n>: prints "wall_s user_s sys_s maxrss_kib".
run() {
    local who=$1 bin=$2 n=$3 d t
    d="$WORK/$who.$n"
    mkdir "$d"
    cp "$WORK/leases4.csv" "$d/leases4.csv.1"
    sync "$d/leases4.csv.1" 2>/dev/null || true
    if ! /usr/bin/time -v -o "$d/time" "$bin" -4 -c "$WORK/kea-dhcp4.conf" -p "$d/lfc.pid" \
        -x "$d/leases4.csv.2" -i "$d/leases4.csv.1" -o "$d/leases4.csv.output" \
        -f "$d/leases4.csv.completed" >"$d/log" 2>&1; then
        echo "lfc.sh: $who failed:" >&2
        tail -5 "$d/log" >&2
        exit 1
    fi
    if [[ -e $d/leases4.csv.1 || ! -s $d/leases4.csv.2 ]]; then
        echo "lfc.sh: $who left $(ls "$d")" >&2
        exit 1
    fi
    t="$d/time"
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0
                                   for (k = 1; k <= n; k++) w = w * 60 + p[k] }
        /User time/ { u = $2 } /System time/ { s = $2 }
        /Maximum resident set size/ { m = $2 }
        END { printf "%.2f %.2f %.2f %d\n", w, u, s, m }' "$t"
}

echo "input: $ROWS rows ($LEASES leases x $UPDATES, ${SIZE} MiB), $(nproc) cores"
echo
echo "| run | kea-lfc | wall s | user s | sys s | peak RSS MiB | rows out | load avg (1 min) | ours / kea wall | ours / kea RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for i in $(seq 1 "$RUNS"); do
    # Alternate which goes first, so a trend in the machine's load hits both alike.
    if ((i % 2 == 1)); then order="ours kea"; else order="kea ours"; fi
    declare -A wall=() rss=() line=()
    for who in $order; do
        if [[ $who == ours ]]; then bin="$OURS"; else bin="$KEA"; fi
        load=$(cut -d' ' -f1 /proc/loadavg)
        read -r w u s m < <(run "$who" "$bin" "$i")
        out=$(($(wc -l <"$WORK/$who.$i/leases4.csv.2") - 1))
        wall[$who]=$w
        rss[$who]=$m
        line[$who]="| $i | $who | $w | $u | $s | $(awk -v m="$m" 'BEGIN { printf "%.1f", m / 1024 }') | $out | $load |"
    done
    if ! cmp -s "$WORK/ours.$i/leases4.csv.2" "$WORK/kea.$i/leases4.csv.2"; then
        echo "lfc.sh: run $i: outputs differ:" >&2
        cmp "$WORK/ours.$i/leases4.csv.2" "$WORK/kea.$i/leases4.csv.2" >&2 || true
        exit 1
    fi
    rw=$(awk -v a="${wall[ours]}" -v b="${wall[kea]}" 'BEGIN { printf "%.2f", a / b }')
    rr=$(awk -v a="${rss[ours]}" -v b="${rss[kea]}" 'BEGIN { printf "%.2f", a / b }')
    for who in $order; do
        echo "${line[$who]} $rw | $rr |"
    done
    rm -rf "$WORK/ours.$i" "$WORK/kea.$i"
done
echo
echo "outputs byte-identical in all $RUNS runs"
