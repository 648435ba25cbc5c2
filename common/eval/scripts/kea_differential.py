#!/usr/bin/env python3
"""Differential check of classification expressions against ISC Kea 2.2.

Starts /usr/sbin/kea-dhcp4 on loopback (server port 23067, client port 23068), with one
client class per expression; class i sends option 224+i (always-send). A relayed DISCOVER
(giaddr 127.0.0.1) is sent for every packet variant and the reply's options tell which
classes matched. Prints one line per (packet, expression): `packet<TAB>expr<TAB>true|false`.
The recorded results live in tests/it/kea_differential.rs; rerun this to refresh them.

Usage: kea_differential.py kea_differential_cases.json
       (a list of {"packet": {name, mac, xid, msgtype, ciaddr, options: [[code, hex]]},
                   "exprs": [...]})
"""
import json, os, socket, struct, subprocess, sys, tempfile, time

SERVER_PORT, CLIENT_PORT, FIRST_CODE = 23067, 23068, 224

def dhcp_packet(p):
    chaddr = bytes.fromhex(p.get("mac", "020000000001"))
    hdr = struct.pack("!BBBBIHH4s4s4s4s", 1, p.get("htype", 1), len(chaddr), 1, p.get("xid", 0x1234),
                      0, 0, socket.inet_aton(p.get("ciaddr", "0.0.0.0")), socket.inet_aton("0.0.0.0"),
                      socket.inet_aton("0.0.0.0"), socket.inet_aton("127.0.0.1"))
    hdr += chaddr.ljust(16, b"\0") + b"\0" * 192 + bytes([99, 130, 83, 99])
    opts = bytes([53, 1, p.get("msgtype", 1)])
    for code, hexdata in p.get("options", []):
        data = bytes.fromhex(hexdata)
        opts += bytes([code, len(data)]) + data
    return hdr + opts + b"\xff"

def reply_codes(buf):
    codes, i = set(), 240
    while i < len(buf):
        c = buf[i]
        if c == 255: break
        if c == 0: i += 1; continue
        codes.add(c); i += 2 + buf[i + 1]
    return codes

def run(packet, exprs, workdir):
    classes = [{"name": "c%d" % i, "test": e,
                "option-data": [{"code": FIRST_CODE + i, "data": "01", "csv-format": False,
                                 "always-send": True}]} for i, e in enumerate(exprs)]
    cfg = {"Dhcp4": {"interfaces-config": {"interfaces": ["lo"], "dhcp-socket-type": "udp"},
                     "lease-database": {"type": "memfile", "persist": False},
                     "client-classes": [{"name": "a"}] + classes,
                     "subnet4": [{"id": 1, "subnet": "127.0.0.0/8",
                                  "pools": [{"pool": "127.0.0.100 - 127.0.0.200"}]}],
                     "loggers": [{"name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 99,
                                  "output_options": [{"output": os.path.join(workdir, "kea.log")}]}]}}
    path = os.path.join(workdir, "kea.json")
    with open(path, "w") as f: json.dump(cfg, f)
    env = dict(os.environ, KEA_PIDFILE_DIR=workdir, KEA_LOCKFILE_DIR=workdir)
    proc = subprocess.Popen(["/usr/sbin/kea-dhcp4", "-c", path, "-p", str(SERVER_PORT), "-P",
                             str(CLIENT_PORT)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", CLIENT_PORT)); sock.settimeout(0.5)
        for _ in range(20):
            sock.sendto(dhcp_packet(packet), ("127.0.0.1", SERVER_PORT))
            try:
                buf, _ = sock.recvfrom(4096); break
            except socket.timeout:
                continue
        else:
            raise SystemExit("no reply from kea-dhcp4; see " + workdir)
        got = reply_codes(buf)
        return [(FIRST_CODE + i) in got for i in range(len(exprs))]
    finally:
        proc.terminate(); proc.wait(5)

def main():
    cases = json.load(open(sys.argv[1]))
    with tempfile.TemporaryDirectory() as workdir:
        # KEA_DIFF_WORKDIR keeps Kea's config and debug log (EVAL_DEBUG_* shows each value).
        workdir = os.environ.get("KEA_DIFF_WORKDIR", workdir)
        os.makedirs(workdir, exist_ok=True)
        for case in cases:
            exprs = case["exprs"]
            for start in range(0, len(exprs), 31):
                chunk = exprs[start:start + 31]
                for e, m in zip(chunk, run(case["packet"], chunk, workdir)):
                    print("%s\t%s\t%s" % (case["packet"]["name"], e, "true" if m else "false"))

if __name__ == "__main__":
    main()
