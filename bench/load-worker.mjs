// The bench's load generator, in a worker thread of its own: a client sharing the event loop of
// the server it measures would record an ack only once the server's post-ack work yields, and
// charge that to the ack. Plain JavaScript because tsx does not load TypeScript in workers.
//
// Message in:  { id, url, secret, rate, bodies }: bodies.length requests, open loop, `rate`/s.
// Message out: { id, latencies, errors }: ms from each request's due time to its full response.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function sign(body, secret) {
  const ts = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${signature}` };
}

function post(url, body, secret) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          ...sign(body, secret),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function openLoop({ url, secret, rate, bodies }) {
  const interval = 1000 / rate;
  const latencies = new Array(bodies.length).fill(Number.NaN);
  let errors = 0;
  const inFlight = [];
  const start = performance.now() + 20;
  for (let i = 0; i < bodies.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      post(url, bodies[i], secret).then(
        (status) => {
          if (status === 200) latencies[i] = performance.now() - due;
          else errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { latencies, errors };
}

parentPort?.on('message', (message) => {
  if (message === 'close') {
    agent.destroy();
    parentPort?.close();
    return;
  }
  openLoop(message).then(
    (result) => parentPort?.postMessage({ id: message.id, ...result }),
    (error) => parentPort?.postMessage({ id: message.id, error: String(error) }),
  );
});
