#!/usr/bin/env python3
"""Summarises the execution samples of a JFR recording: where the CPU goes.

    bench/jfr-summary.py recording.jfr [top=20]

Prints (1) the top frames (self time), (2) inclusive time per area: a sample counts for an area
when any frame of its stack belongs to it (so the columns overlap), (3) samples per thread group.
"""
import re
import subprocess
import sys
from collections import Counter

AREAS = [
    ("H2 (org.h2)", "org.h2."),
    ("PostgreSQL driver", "org.postgresql."),
    ("Hikari pool", "com.zaxxer.hikari."),
    ("Spring JDBC/tx", "org.springframework.jdbc."),
    ("spool write (FileChannel.force)", "FileChannelImpl.force"),
    ("SMTP server (subethamail)", "org.subethamail."),
    ("Jakarta Mail", "jakarta.mail."),
    ("Bouncy Castle", "org.bouncycastle."),
    ("Sealgate queue", "dev.sealgate.queue."),
    ("Sealgate pipeline", "dev.sealgate.pipeline."),
    ("Sealgate crypto steps", "dev.sealgate.smime."),
    ("Sealgate delivery", "dev.sealgate.queue.DeliveryService"),
    ("Sealgate intake", "dev.sealgate.queue.Intake"),
    ("Logging", "ch.qos.logback."),
    ("socket I/O", "sun.nio.ch.Nio"),
]


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                          capture_output=True, text=True, check=True).stdout
    samples = []
    for block in text.split("jdk.ExecutionSample {")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        stack = re.search(r"stackTrace = \[\n(.*?)\n\s*\]", block, re.S)
        frames = [re.sub(r"\s+line:.*", "", f.strip()) for f in stack.group(1).split("\n")] if stack else []
        frames = [f for f in frames if f and f != "..."]
        samples.append((thread.group(1) if thread else "?", frames))
    n = len(samples)
    if n == 0:
        print("no execution samples")
        return
    print(f"{n} execution samples")
    print("Top frames (self):")
    for frame, c in Counter(f[0] for _, f in samples if f).most_common(top):
        print(f"  {100 * c / n:5.1f}%  {frame}")
    print("Inclusive by area (a sample counts for every area on its stack):")
    for name, marker in AREAS:
        c = sum(1 for _, f in samples if any(marker in x for x in f))
        if c:
            print(f"  {100 * c / n:5.1f}%  {name}")
    print("By thread:")
    groups = Counter(re.sub(r"[-#]?\d+$", "", t) for t, _ in samples)
    for name, c in groups.most_common(10):
        print(f"  {100 * c / n:5.1f}%  {name}")


if __name__ == "__main__":
    main()
