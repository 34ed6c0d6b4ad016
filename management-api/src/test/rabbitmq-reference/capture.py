# Makes traffic on a broker (Pika), keeps connections, channels and a consumer open, then saves the three
# rabbitmq_prometheus endpoints. usage: /usr/bin/python3 capture.py AMQP_PORT PROMETHEUS_PORT OUT_DIR
import pika, sys, time, urllib.request
port = int(sys.argv[1]); http = sys.argv[2]; out = sys.argv[3]
params = pika.ConnectionParameters('localhost', port)
c1 = pika.BlockingConnection(params); ch = c1.channel(); ch.confirm_delivery()
ch.queue_declare('q', durable=True)
ch.queue_declare('qc', durable=False)
try:
    ch.queue_declare('qq', durable=True, arguments={'x-queue-type': 'quorum'})
except Exception as e:
    print('no quorum', e); ch = c1.channel(); ch.confirm_delivery()
ch.exchange_declare('ex', 'direct')
ch.queue_bind('q', 'ex', 'k')
for i in range(5):
    ch.basic_publish('', 'q', b'hello-%d' % i, pika.BasicProperties(delivery_mode=2))
for i in range(3):
    ch.basic_publish('ex', 'k', b'x' * 100)
for i in range(4):
    ch.basic_publish('', 'qc', b'y' * 10)
ch.basic_publish('', 'qq', b'zz')
ch.basic_publish('', 'nowhere', b'lost')
m = ch.basic_get('q', auto_ack=False); ch.basic_ack(m[0].delivery_tag)
ch.basic_get('q', auto_ack=True)
ch.basic_get('qq', auto_ack=True)  # the quorum queue's one message
ch.basic_get('qq', auto_ack=True)
c2 = pika.BlockingConnection(params); ch2 = c2.channel(); ch2.basic_qos(prefetch_count=2)
got = []
ch2.basic_consume('qc', lambda c, m, p, b: got.append(m.delivery_tag))
while len(got) < 2: c2.process_data_events(0.1)
ch3 = c2.channel()
c3 = pika.BlockingConnection(params)
time.sleep(6)  # the reference node emits stats every 5 s
def get(path):
    return urllib.request.urlopen('http://localhost:%s%s' % (http, path)).read().decode()
fams = 'connection_churn_metrics,node_coarse_metrics,node_metrics,node_persister_metrics,ra_metrics,auth_attempt_metrics,auth_attempt_detailed_metrics,queue_coarse_metrics,queue_consumer_count,queue_metrics,channel_metrics,channel_exchange_metrics,channel_process_metrics,channel_queue_metrics,connection_coarse_metrics,connection_metrics,channel_queue_exchange_metrics,vhost_status,exchange_bindings,exchange_names'
for name, path in [('metrics', '/metrics'), ('per-object', '/metrics/per-object'),
                   ('detailed', '/metrics/detailed?' + '&'.join('family=' + f for f in fams.split(','))),
                   ('detailed-empty', '/metrics/detailed'),
                   ('detailed-vhost', '/metrics/detailed?vhost=%2F&family=queue_coarse_metrics')]:
    open('%s/%s.txt' % (out, name), 'w').write(get(path))
print('done')
