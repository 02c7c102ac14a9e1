# SPDX-License-Identifier: MIT
"""A private, throw-away PostgreSQL cluster (Debian's postgresql package) for the storm
tool: initdb in a temporary directory, Unix socket only, run as the unprivileged
'postgres' user when started as root, stopped by PID."""
import glob
import os
import pwd
import random
import signal
import subprocess
import time


class PgTemp:
    def __init__(self, root):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (Debian package postgresql)")
        self.bin = os.path.dirname(bins[-1])
        self.dir, self.proc = os.path.join(root, "pg"), None
        self.port = random.randint(40000, 59999)
        self.prefix = []
        os.makedirs(os.path.join(self.dir, "data"))
        os.makedirs(os.path.join(self.dir, "sock"))
        if os.getuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chmod(root, 0o755)
            for d in (self.dir, f"{self.dir}/data", f"{self.dir}/sock"):
                os.chown(d, pw.pw_uid, pw.pw_gid)
            self.prefix = ["setpriv", "--reuid=postgres", "--regid=postgres",
                           "--init-groups", "--"]

    def start(self, max_connections=200):
        subprocess.run(self.prefix + [f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U",
                                      "amtact", "--auth=trust", "-E", "UTF8", "--no-locale"],
                       check=True, capture_output=True)
        self.proc = subprocess.Popen(
            self.prefix + [f"{self.bin}/postgres", "-D", f"{self.dir}/data", "-k",
                           f"{self.dir}/sock", "-p", str(self.port), "-c",
                           "listen_addresses=", "-c", f"max_connections={max_connections}"],
            stdout=subprocess.DEVNULL, stderr=open(f"{self.dir}/log", "w"))
        for _ in range(300):
            if subprocess.run([f"{self.bin}/pg_isready", "-q", "-h", f"{self.dir}/sock",
                               "-p", str(self.port)]).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start: " + open(f"{self.dir}/log").read()[-500:])

    def createdb(self, name):
        subprocess.run([f"{self.bin}/createdb", "-h", f"{self.dir}/sock", "-p",
                        str(self.port), "-U", "amtact", name], check=True)
        return f"postgresql://amtact@/{name}?host={self.dir}/sock&port={self.port}"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)     # fast shutdown
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
