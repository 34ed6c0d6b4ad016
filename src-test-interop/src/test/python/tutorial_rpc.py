"""Tutorial 6: RPC with a callback queue and correlation_id; the server runs on its own connection and thread."""
import threading
import uuid

import pika

import interop_common as ic

rpc_queue = ic.name("rpc_queue")


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


server_conn = ic.connect()
sch = server_conn.channel()
sch.queue_declare(queue=rpc_queue)
sch.basic_qos(prefetch_count=1)


def on_request(ch, method, props, body):
    n = int(body)
    ch.basic_publish(exchange="", routing_key=props.reply_to,
                     properties=pika.BasicProperties(correlation_id=props.correlation_id), body=str(fib(n)))
    ch.basic_ack(delivery_tag=method.delivery_tag)


sch.basic_consume(queue=rpc_queue, on_message_callback=on_request)
stop = threading.Event()


def serve():
    while not stop.is_set():
        server_conn.process_data_events(time_limit=0.05)


server = threading.Thread(target=serve, daemon=True)
server.start()


class FibonacciRpcClient:
    def __init__(self):
        self.connection = ic.connect()
        self.channel = self.connection.channel()
        self.callback_queue = self.channel.queue_declare(queue="", exclusive=True).method.queue
        self.channel.basic_consume(queue=self.callback_queue, on_message_callback=self.on_response, auto_ack=True)
        self.responses = {}

    def on_response(self, ch, method, props, body):
        self.responses[props.correlation_id] = int(body)

    def call(self, n):
        corr_id = str(uuid.uuid4())
        self.channel.basic_publish(exchange="", routing_key=rpc_queue, body=str(n),
                                   properties=pika.BasicProperties(reply_to=self.callback_queue,
                                                                   correlation_id=corr_id))
        ic.pump([self.connection], lambda: corr_id in self.responses)
        return self.responses[corr_id]


client = FibonacciRpcClient()
for n in (0, 1, 2, 10, 20):
    assert client.call(n) == fib(n), n

# several requests in flight at once are matched by correlation id
ids = {}
for n in (5, 6, 7):
    corr = str(uuid.uuid4())
    ids[corr] = n
    client.channel.basic_publish(exchange="", routing_key=rpc_queue, body=str(n),
                                 properties=pika.BasicProperties(reply_to=client.callback_queue, correlation_id=corr))
ic.pump([client.connection], lambda: all(c in client.responses for c in ids))
for corr, n in ids.items():
    assert client.responses[corr] == fib(n)

stop.set()
server.join(5)
client.channel.queue_delete(rpc_queue)
client.connection.close()
server_conn.close()
ic.done(__file__)
