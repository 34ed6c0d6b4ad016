"""Tutorial 2: work queues. Durable queue, persistent tasks, basic_qos(prefetch_count=1), manual ack."""
import time

import pika

import interop_common as ic

queue = ic.name("task_queue")
TASKS = ["task%d%s" % (i, "...." if i % 2 == 0 else ".") for i in range(10)]

workers = []
done_by = {}
for w in ("w1", "w2"):
    conn = ic.connect()
    ch = conn.channel()
    ch.queue_declare(queue=queue, durable=True)
    ch.basic_qos(prefetch_count=1)
    done_by[w] = []

    def callback(ch, method, properties, body, w=w):
        assert properties.delivery_mode == pika.spec.PERSISTENT_DELIVERY_MODE, properties
        time.sleep(0.01 * body.count(b"."))
        done_by[w].append(body.decode())
        ch.basic_ack(delivery_tag=method.delivery_tag)

    ch.basic_consume(queue=queue, on_message_callback=callback)
    workers.append(conn)

producer = ic.connect()
pch = producer.channel()
pch.queue_declare(queue=queue, durable=True)
pch.confirm_delivery()
for t in TASKS:
    pch.basic_publish(exchange="", routing_key=queue, body=t,
                      properties=pika.BasicProperties(delivery_mode=pika.spec.PERSISTENT_DELIVERY_MODE))

ic.pump(workers, lambda: sum(len(v) for v in done_by.values()) == len(TASKS), timeout=20)
everything = sorted(done_by["w1"] + done_by["w2"])
assert everything == sorted(TASKS), done_by
assert done_by["w1"] and done_by["w2"], "both workers must get work: %r" % done_by
# with prefetch 1 nothing is left unacked or ready
assert pch.queue_declare(queue=queue, passive=True).method.message_count == 0
pch.queue_delete(queue)
for c in workers + [producer]:
    c.close()
ic.done(__file__)
