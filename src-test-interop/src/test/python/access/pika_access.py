"""Permissions from Pika: usage pika_access.py PORT USER PASSWORD (alice of AccessControlTest)."""
import sys

import pika

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
creds = pika.PlainCredentials(user, password)


def connect(vhost='/', pw=password):
    return pika.BlockingConnection(pika.ConnectionParameters(
        'localhost', port, vhost, pika.PlainCredentials(user, pw), connection_attempts=1))


# a wrong password is refused
try:
    connect(pw='wrong')
    raise AssertionError('a wrong password was accepted')
except pika.exceptions.ProbableAuthenticationError:
    pass
except pika.exceptions.AMQPConnectionError as e:
    assert '403' in str(e) or 'ACCESS_REFUSED' in str(e), e

# no permissions on vhost 'other': 530 NOT_ALLOWED
try:
    connect('other')
    raise AssertionError('vhost without permissions was opened')
except pika.exceptions.AMQPConnectionError as e:
    assert '530' in repr(e) or 'NOT_ALLOWED' in repr(e), repr(e)

conn = connect()
ch = conn.channel()
ch.queue_declare('alice.pika', auto_delete=True)          # configure allowed on alice.*
ch.basic_publish('', 'alice.pika', b'mine')               # write allowed on amq.default
try:
    ch.queue_declare('bob.pika')                           # configure refused
    raise AssertionError('declare outside the configure pattern was allowed')
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 403, e
    assert e.reply_text == "ACCESS_REFUSED - access to queue 'bob.pika' in vhost '/' refused for user 'alice'", e
ch2 = conn.channel()                                        # the connection keeps working
method, props, body = None, None, None
for _ in range(50):
    method, props, body = ch2.basic_get('alice.pika', auto_ack=True)
    if method:
        break
    conn.sleep(0.05)
assert body == b'mine', body
try:
    ch2.basic_get('guarded.q')                              # read refused
    raise AssertionError('get outside the read pattern was allowed')
except pika.exceptions.ChannelClosedByBroker as e:
    assert e.reply_code == 403, e
conn.close()
print('ok')
