# SPDX-License-Identifier: MIT
# hello_listener.py PORTFILE LOG: accept on 127.0.0.1 (port 0) for 55 s, read each
# connection until the sender closes, judge it as MeshCentral's parseHelloData does
# (doc/remote-config.md 2.4) and append one JSON line per hello to LOG.
import json, socket, sys, time
portfile, log = sys.argv[1], sys.argv[2]
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(16)
srv.settimeout(0.5)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
import os; os.rename(portfile + ".tmp", portfile)

def judge(b):
    if len(b) < 25: return "shorter than 25 bytes"
    if int.from_bytes(b[0:2], "little", signed=True) > 1: return "u16@0 > 1"
    if int.from_bytes(b[2:4], "little") != 3: return "version %d, only 3 supported" % int.from_bytes(b[2:4], "little")
    off, n = 25, b[24]
    for _ in range(n):
        if off + 2 > len(b): return "entry header past the end"
        t, l = b[off], b[off + 1]
        if (t, l) not in ((1, 20), (2, 32), (3, 48)): return "bad entry type %d len %d" % (t, l)
        off += 2 + l
    return None

end = time.time() + 55
while time.time() < end:
    try:
        c, _ = srv.accept()
    except socket.timeout:
        continue
    c.settimeout(5)
    chunks = []
    try:
        while True:
            d = c.recv(65536)
            if not d: break
            chunks.append(d)
    except socket.timeout:
        chunks.append(b"")  # never closed: MeshCentral would never parse it
    c.close()
    b = b"".join(chunks)
    u = b[8:24]
    rec = {"len": len(b), "first_chunk": len(chunks[0]) if chunks else 0,
           "closed": not chunks or chunks[-1] != b"", "reject": judge(b),
           "version": int.from_bytes(b[2:4], "little") if len(b) >= 4 else None,
           "retry": int.from_bytes(b[4:8], "little") if len(b) >= 8 else None,
           "uuid": "%s-%s-%s-%s-%s" % (u[3::-1].hex(), u[5:3:-1].hex(), u[7:5:-1].hex(),
                                       u[8:10].hex(), u[10:16].hex()) if len(b) >= 24 else None}
    if rec["version"] == 3 and rec["reject"] is None:
        rec["hashes"] = [b[27 + 34 * i:59 + 34 * i].hex() for i in range(b[24])]
    if rec["version"] == 2:
        rec["pid"] = b[24:32].decode("ascii", "replace")
    with open(log, "a") as f:
        f.write(json.dumps(rec) + "\n")
