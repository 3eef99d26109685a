// MQTT.js against a SwarmMQ node: one client over WebSocket (as in a browser, MQTT 3.1.1), one
// over TCP (MQTT 5). Each subscribes at QoS 1, each publishes to the other (QoS 1 and QoS 2).
// Prints one JSON line per message received, then "done"; exits 1 after 15 s without both.
//   node roundtrip.mjs mqtt://127.0.0.1:1883 ws://127.0.0.1:8080/mqtt TOPIC
import mqtt from 'mqtt';

const [tcpUrl, wsUrl, topic] = process.argv.slice(2);
const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 15000);
const got = [];
const ws = mqtt.connect(wsUrl, { protocolVersion: 4, clientId: 'mqttjs-ws-' + process.pid, clean: true });
const tcp = mqtt.connect(tcpUrl, { protocolVersion: 5, clientId: 'mqttjs-tcp-' + process.pid, clean: true });
const ready = (c) => new Promise((resolve, reject) => { c.once('connect', resolve); c.once('error', reject); });

function received(who) {
  return (t, payload, packet) => {
    console.log(JSON.stringify({ to: who, topic: t, payload: payload.toString(), qos: packet.qos }));
    got.push(who);
    if (got.length === 2) {
      clearTimeout(timer);
      console.log('done');
      ws.end(); tcp.end();
    }
  };
}

try {
  await Promise.all([ready(ws), ready(tcp)]);
  ws.on('message', received('ws'));
  tcp.on('message', received('tcp'));
  await ws.subscribeAsync(topic + '/to-ws', { qos: 1 });
  await tcp.subscribeAsync(topic + '/to-tcp', { qos: 1 });
  await tcp.publishAsync(topic + '/to-ws', 'from tcp', { qos: 1 });
  await ws.publishAsync(topic + '/to-tcp', 'from ws', { qos: 2 });
} catch (e) {
  console.log('error ' + e.message);
  process.exit(1);
}
