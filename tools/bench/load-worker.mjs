// The bench's load generator, in a process of its own (forked, messages over IPC): a client
// sharing the event loop of the server it measures would record an ack only once the server's
// post-ack work yields, and charge that to the ack; and sharing its process, the client's memory
// would count in the server's RSS. Plain JavaScript: it runs under plain node.
//
// Message in:  { id, url, secret, rate, bodies }: bodies.length requests, open loop, `rate`/s.
// Message out: { id, latencies, errors, dueAt }: ms from each request's due time to its full
// response, and each due time as wall-clock epoch ms (Date.now() scale, comparable across threads:
// performance.now() is not, each thread has its own time origin).
// Bodies are form-encoded: slash commands, and interactions (`payload=<json>`) alike.
// Message in:  { stop: id }: stop run `id` early (nothing more is sent; the answers still due
// are waited for STOP_GRACE_MS at most); its message out then has `sent` < bodies.length.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

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

/** How long a stopped run still waits for the answers to what it sent. */
const STOP_GRACE_MS = 15_000;
/** Runs asked to stop. */
const stopped = new Set();

async function openLoop({ id, url, secret, rate, bodies }) {
  const interval = 1000 / rate;
  const latencies = new Array(bodies.length).fill(Number.NaN);
  let errors = 0;
  const inFlight = [];
  const start = performance.now() + 20;
  const wallStart = Date.now() + (start - performance.now());
  const dueAt = bodies.map((_, i) => wallStart + i * interval);
  let sent = 0;
  for (let i = 0; i < bodies.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (stopped.has(id)) break;
    sent++;
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
  if (stopped.delete(id)) {
    let timer;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    await Promise.race([Promise.all(inFlight), grace]);
    clearTimeout(timer);
  } else await Promise.all(inFlight);
  return { latencies, errors, dueAt, sent };
}

const reply = (message) => process.send?.(message);

// The bench gone (killed, crashed): nothing is left sending.
process.on('disconnect', () => process.exit(0));

process.on('message', (message) => {
  if (message === 'close') {
    agent.destroy();
    process.disconnect();
    return;
  }
  if (message.stop !== undefined) {
    stopped.add(message.stop);
    return;
  }
  openLoop(message).then(
    (result) => reply({ id: message.id, ...result }),
    (error) => reply({ id: message.id, error: String(error) }),
  );
});
