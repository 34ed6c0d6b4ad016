"""Pika over TLS with a client certificate: usage pika_tls.py PORT CA_CERT CLIENT_CERT CLIENT_KEY."""
import ssl
import sys

import pika

port, ca, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=ca)
context.load_cert_chain(cert, key)
params = pika.ConnectionParameters('localhost', port, ssl_options=pika.SSLOptions(context, 'localhost'))
conn = pika.BlockingConnection(params)
ch = conn.channel()
q = ch.queue_declare('', exclusive=True).method.queue
ch.basic_publish('', q, b'over tls')
method, props, body = None, None, None
for _ in range(50):
    method, props, body = ch.basic_get(q, auto_ack=True)
    if method:
        break
    conn.sleep(0.05)
assert body == b'over tls', body
conn.close()
print('ok')
