"""Shared helpers for the Pika interop scripts (not a test itself: PikaTest skips files starting with interop_).

Every script is run as `python3 script.py <port>`, asserts behaviour with plain asserts and exits non-zero on failure.
"""
import os
import sys
import uuid

import pika

HOST = "localhost"


def port():
    if len(sys.argv) < 2:
        sys.exit("usage: %s <amqp-port>" % sys.argv[0])
    return int(sys.argv[1])


def params(**kw):
    kw.setdefault("connection_attempts", 1)
    kw.setdefault("socket_timeout", 5)
    kw.setdefault("blocked_connection_timeout", 10)
    kw.setdefault("stack_timeout", 10)
    return pika.ConnectionParameters(HOST, port(), **kw)


def connect(**kw):
    return pika.BlockingConnection(params(**kw))


def name(hint):
    """A name unique to this run, so scripts can share a broker with other tests."""
    return "pika.%s.%s.%s" % (os.path.basename(sys.argv[0]).replace(".py", ""), hint, uuid.uuid4().hex[:10])


def pump(conns, until, timeout=10.0, step=0.02):
    """Drives I/O on several blocking connections until `until()` is true; fails after `timeout` seconds."""
    import time
    deadline = time.monotonic() + timeout
    while not until():
        assert time.monotonic() < deadline, "timed out waiting"
        for c in conns:
            c.process_data_events(time_limit=step)


def done(script):
    print("%s: OK" % script)
