#!/usr/bin/env python3
"""Writes the seeds of the `d2_answer` fuzz target: DNS UPDATE answers to the fixed query
of `kea_fuzz::d2_answer` (ID 0x1234, zone example.org., signed with d2.example.org.,
HMAC-SHA256, at 1700000000), signed as a server does (RFC 8945 section 4.3: the request
MAC, then the answer, then the TSIG variables). Run from fuzz/: python3 scripts/d2_answer_seeds.py
"""
import base64
import hashlib
import hmac
import struct

SECRET = base64.b64decode("LSWXnfkKZjdPJI5QxlpnfQ==")
QUERY_TIME = 1_700_000_000
FUDGE = 300


def wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.lower().encode()
    return out + b"\0"


KEY = wire("d2.example.org.")
ALG = wire("hmac-sha256.")
ZONE = wire("example.org.") + struct.pack(">HH", 6, 1)


def variables(time, error=0, other=b""):
    return (KEY + struct.pack(">HI", 255, 0) + ALG + time.to_bytes(6, "big")
            + struct.pack(">HHH", FUDGE, error, len(other)) + other)


def tsig_rr(mac, orig_id, time, error=0, other=b""):
    rdata = (ALG + time.to_bytes(6, "big") + struct.pack(">HH", FUDGE, len(mac)) + mac
             + struct.pack(">HHH", orig_id, error, len(other)) + other)
    return KEY + struct.pack(">HHIH", 250, 255, 0, len(rdata)) + rdata


def sign(msg, time, prefix=b"", error=0):
    return hmac.new(SECRET, prefix + msg + variables(time, error), hashlib.sha256).digest()


QUERY = bytes([0x12, 0x34, 0x28, 0, 0, 1, 0, 0, 0, 0, 0, 0]) + ZONE
REQUEST_MAC = sign(QUERY, QUERY_TIME)


def answer(rcode, time, tamper=False, error=0):
    msg = bytes([0x12, 0x34, 0xA8, rcode, 0, 1, 0, 0, 0, 0, 0, 0]) + ZONE
    mac = sign(msg, time, struct.pack(">H", len(REQUEST_MAC)) + REQUEST_MAC, error)
    if tamper:
        mac = bytes([mac[0] ^ 1]) + mac[1:]
    signed = bytearray(msg + tsig_rr(mac, 0x1234, time, error))
    signed[11] = 1
    return bytes(signed)


SEEDS = {
    "valid-noerror.bin": answer(0, QUERY_TIME + 5),
    "valid-yxdomain.bin": answer(6, QUERY_TIME + 5),
    "valid-nxrrset.bin": answer(8, QUERY_TIME + 5),
    "bad-sig.bin": answer(0, QUERY_TIME + 5, tamper=True),
    "bad-time.bin": answer(0, QUERY_TIME + 3600),
    "server-badkey.bin": answer(9, QUERY_TIME + 5, error=17),
    "unsigned.bin": answer(0, QUERY_TIME + 5)[:12 + len(ZONE)].replace(b"\x00\x01\x00\x00\x00\x00\x00\x01", b"\x00\x01\x00\x00\x00\x00\x00\x00", 1),
    "truncated-tsig.bin": answer(0, QUERY_TIME + 5)[:-10],
    "short-header.bin": bytes([0x12, 0x34, 0xA8, 0, 0, 0]),
}

for name, data in SEEDS.items():
    with open(f"seeds/d2_answer/{name}", "wb") as f:
        f.write(data)
