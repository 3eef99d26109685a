#!/usr/bin/python3
"""Round trips through a broker with Debian's python3-paho-mqtt (1.6 or 2.x), for DebianClientsIT.

Usage: paho_client.py HOST PORT TOPIC QOS PROTOCOL MODE
  PROTOCOL  311 or 5
  MODE      pubsub    subscribe, then publish one message from a second client, receive it
            retained  publish a retained message, then subscribe with a new client, receive it
Prints one line "RESULT|topic|qos|retain|payload" and exits 0, or "ERROR|why" and exits 1.
"""
import sys
import threading
import uuid

import paho.mqtt.client as mqtt

TIMEOUT = 15


def client(protocol):
    kwargs = {"client_id": "py-" + uuid.uuid4().hex[:10], "protocol": protocol}
    if hasattr(mqtt, "CallbackAPIVersion"):  # paho 2.x wants the callback API chosen explicitly
        return mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, **kwargs)
    return mqtt.Client(**kwargs)


def fail(why):
    print("ERROR|" + why, flush=True)
    sys.exit(1)


def subscriber(host, port, topic, qos, protocol, received, got):
    subscribed = threading.Event()
    c = client(protocol)

    def on_connect(cl, userdata, flags, rc, *rest):
        cl.subscribe(topic, qos)

    def on_subscribe(cl, userdata, mid, granted, *rest):
        first = granted[0]
        code = first if isinstance(first, int) else first.value
        if code != qos:
            fail("SUBACK granted %r for QoS %d" % (granted, qos))
        subscribed.set()

    def on_message(cl, userdata, msg):
        received.append(msg)
        got.set()

    c.on_connect, c.on_subscribe, c.on_message = on_connect, on_subscribe, on_message
    c.connect(host, port, 30)
    c.loop_start()
    if not subscribed.wait(TIMEOUT):
        fail("no SUBACK")
    return c


def publish(host, port, topic, payload, qos, retain, protocol):
    c = client(protocol)
    c.connect(host, port, 30)
    c.loop_start()
    info = c.publish(topic, payload, qos, retain)
    info.wait_for_publish()
    c.disconnect()
    c.loop_stop()


def main():
    host, port, topic, qos, proto, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
    protocol = mqtt.MQTTv5 if proto == "5" else mqtt.MQTTv311
    payload = "python paho %s qos %d %s" % (proto, qos, mode)
    received, got = [], threading.Event()
    if mode == "retained":
        publish(host, port, topic, payload, qos, True, protocol)
        sub = subscriber(host, port, topic, qos, protocol, received, got)
    else:
        sub = subscriber(host, port, topic, qos, protocol, received, got)
        publish(host, port, topic, payload, qos, False, protocol)
    if not got.wait(TIMEOUT):
        fail("no message")
    sub.disconnect()
    sub.loop_stop()
    m = received[0]
    print("RESULT|%s|%d|%d|%s" % (m.topic, m.qos, 1 if m.retain else 0, m.payload.decode()), flush=True)


if __name__ == "__main__":
    main()
