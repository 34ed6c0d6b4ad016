"""Tutorial 1: "Hello World!" between a sender and a receiver on separate connections."""
import interop_common as ic

queue = ic.name("hello")
receiver = ic.connect()
rch = receiver.channel()
rch.queue_declare(queue=queue)
received = []
rch.basic_consume(queue=queue, on_message_callback=lambda ch, m, p, body: received.append(body), auto_ack=True)

sender = ic.connect()
sch = sender.channel()
sch.queue_declare(queue=queue)
sch.basic_publish(exchange="", routing_key=queue, body="Hello World!")
sender.close()

ic.pump([receiver], lambda: received)
assert received == [b"Hello World!"], received
rch.queue_delete(queue)
receiver.close()
ic.done(__file__)
