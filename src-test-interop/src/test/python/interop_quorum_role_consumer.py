"""A Pika consumer of a quorum queue, attached through the node whose member QuorumRoleChangeTest
removes and adds back; the test drives it over stdin and reads what it saw on stdout.

usage: interop_quorum_role_consumer.py PORT QUEUE
stdout: CONSUMING once consumed; GOT <id> <redelivered 0|1> for each delivery (id: the body's first
        8 bytes, big-endian); CANCELLED if the broker sends basic.cancel; OK after each command; BYE
stdin:  'hold FROM TO' holds the first delivery of ids FROM..TO-1 unacked (others are acked at once),
        'ack FROM TO' acks the held ones of those ids, 'nack ID' requeues a held one, 'quit'
"""
import os
import select
import struct
import sys

import pika

port, queue = int(sys.argv[1]), sys.argv[2]
conn = pika.BlockingConnection(pika.ConnectionParameters('127.0.0.1', port, connection_attempts=1, socket_timeout=5))
ch = conn.channel()
ch.basic_qos(prefetch_count=50)
to_hold = set()
held = {}  # id -> delivery tag


def on_message(channel, method, props, body):
    (i,) = struct.unpack('>q', body[:8])
    print('GOT', i, 1 if method.redelivered else 0, flush=True)
    if i in to_hold:
        to_hold.discard(i)
        held[i] = method.delivery_tag
    else:
        channel.basic_ack(method.delivery_tag)


def on_cancel(frame):
    print('CANCELLED', flush=True)


ch.add_on_cancel_callback(on_cancel)
ch.basic_consume(queue, on_message, auto_ack=False)
print('CONSUMING', flush=True)

pending = b''
while True:
    conn.process_data_events(time_limit=0.05)
    readable, _, _ = select.select([0], [], [], 0)
    if not readable:
        continue
    chunk = os.read(0, 4096)
    if not chunk:
        break  # the test went away
    pending += chunk
    while b'\n' in pending:
        line, pending = pending.split(b'\n', 1)
        words = line.decode().split()
        if words[0] == 'hold':
            to_hold.update(range(int(words[1]), int(words[2])))
        elif words[0] == 'ack':
            for i in range(int(words[1]), int(words[2])):
                ch.basic_ack(held.pop(i))
        elif words[0] == 'nack':
            ch.basic_nack(held.pop(int(words[1])), requeue=True)
        elif words[0] == 'quit':
            conn.close()
            print('BYE', flush=True)
            sys.exit(0)
        print('OK', flush=True)
