# SPDX-License-Identifier: MIT
"""Counters and a latency histogram shared by all worker processes, in Prometheus text."""
import multiprocessing
import multiprocessing.sharedctypes

PREFIX = "amtact_interim_"
COUNTERS = {
    "reports_stored_total": "reports stored for the first time",
    "reports_duplicate_total": "repeats of an already stored report (answered as before)",
    "connections_total": "TCP connections accepted",
    "tls_failures_total": "TLS handshakes that failed or timed out",
    "otp_fetches_total": "OTPs handed to agents",
}
REJECT_REASONS = ("auth", "too_large", "length", "content_type", "bad_json", "schema",
                  "clear_otp", "idempotency", "overload", "timeout", "header", "method",
                  "not_found", "bad_request", "server_error", "otp_unknown")
BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Create before forking the workers: the array lives in shared memory."""

    def __init__(self):
        self.names = list(COUNTERS) + [f"reject:{r}" for r in REJECT_REASONS]
        self.index = {n: i for i, n in enumerate(self.names)}
        base = len(self.names)
        self.hist = base                      # bucket counts, then +Inf, sum, count
        size = base + len(BUCKETS_S) + 3
        self.lock = multiprocessing.Lock()
        self.values = multiprocessing.sharedctypes.RawArray("d", size)

    def inc(self, name, n=1):
        with self.lock:
            self.values[self.index[name]] += n

    def reject(self, reason):
        self.inc("reject:" + (reason if reason in REJECT_REASONS else "bad_request"))

    def observe_post(self, seconds):
        with self.lock:
            for i, b in enumerate(BUCKETS_S):
                if seconds <= b:
                    self.values[self.hist + i] += 1
            n = len(BUCKETS_S)
            self.values[self.hist + n] += 1           # +Inf
            self.values[self.hist + n + 1] += seconds
            self.values[self.hist + n + 2] += 1

    def snapshot(self):
        with self.lock:
            return list(self.values)

    def render(self):
        v = self.snapshot()
        out = []
        for name, text in COUNTERS.items():
            out += [f"# HELP {PREFIX}{name} {text}", f"# TYPE {PREFIX}{name} counter",
                    f"{PREFIX}{name} {v[self.index[name]]:.0f}"]
        out += [f"# HELP {PREFIX}requests_rejected_total requests answered 4xx/5xx, by reason",
                f"# TYPE {PREFIX}requests_rejected_total counter"]
        for r in REJECT_REASONS:
            out.append(f'{PREFIX}requests_rejected_total{{reason="{r}"}} '
                       f'{v[self.index["reject:" + r]]:.0f}')
        h = f"{PREFIX}post_report_seconds"
        out += [f"# HELP {h} time from request head to answer of POST /reports",
                f"# TYPE {h} histogram"]
        for i, b in enumerate(BUCKETS_S):
            out.append(f'{h}_bucket{{le="{b:g}"}} {v[self.hist + i]:.0f}')
        n = len(BUCKETS_S)
        out += [f'{h}_bucket{{le="+Inf"}} {v[self.hist + n]:.0f}',
                f"{h}_sum {v[self.hist + n + 1]:.6f}", f"{h}_count {v[self.hist + n + 2]:.0f}"]
        return "\n".join(out) + "\n"
