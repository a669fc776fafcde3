import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { accessSync, constants, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Pebble (Let's Encrypt's test ACME server) and pebble-challtestsrv (a mock DNS server with an
 * HTTP management API) on loopback, on free ports, for tests of the ACME provider. Pebble's own
 * HTTPS listener gets a throwaway certificate made with openssl into a temp folder; its path is
 * `caFile`, which the client trusts explicitly (TLS verification stays on everywhere).
 *
 * `PEBBLE_VA_ALWAYS_VALID=1`: pebble accepts every challenge without looking at DNS, so the DNS
 * records only matter to CertOps' own pre-check, which asks challtestsrv (`dnsServer`).
 * Each process runs under a small supervisor that kills it when the test process's pipe closes,
 * so a crashed test run leaves no pebble behind; `stop()` ends both and removes the temp folder.
 */

export interface PebbleServers {
  /** `https://127.0.0.1:<port>/dir` */
  readonly directoryUrl: string;
  /** PEM of the certificate pebble's HTTPS listener presents (self-signed, CN localhost). */
  readonly caFile: string;
  /** `127.0.0.1:<port>` of challtestsrv's DNS server. */
  readonly dnsServer: string;
  /** Pebble's management API (`/roots/0` is the root of the certificates it issues). */
  readonly managementUrl: string;
  /** Adds a TXT record `host` (a name like `_acme-challenge.example.com`) with `value`. */
  setTxt(host: string, value: string): Promise<void>;
  /** Removes every TXT record of `host`. */
  clearTxt(host: string): Promise<void>;
  /** Stops pebble only (the CA "goes down"); `stop()` still cleans up the rest. */
  stopPebble(): Promise<void>;
  /** Stops both servers and deletes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** Whether the pebble binaries are installed (`.ci/run` installs them with apt-get). */
export function pebbleInstalled(): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const found = (bin: string) =>
    dirs.some((dir) => {
      try {
        accessSync(join(dir, bin), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return found('pebble') && found('pebble-challtestsrv');
}

export const PEBBLE_MISSING =
  'pebble is not installed: the ACME tests need /usr/bin/pebble and /usr/bin/pebble-challtestsrv. ' +
  '.ci/run installs them (apt-get install -y pebble); on a Debian or Ubuntu machine run ' +
  '`sudo apt-get install -y pebble`.';

/**
 * Starts challtestsrv and pebble. Throws (with `PEBBLE_MISSING`) when pebble is not installed,
 * so the ACME tests fail loudly instead of being skipped.
 */
export async function startPebble(): Promise<PebbleServers> {
  if (!pebbleInstalled()) throw new Error(PEBBLE_MISSING);
  const dir = await mkdtemp(join(tmpdir(), 'certops-pebble-'));
  const children: Supervised[] = [];
  let pebble: Supervised | undefined;
  const stopAll = async () => {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const caFile = join(dir, 'listener.pem');
    const keyFile = join(dir, 'listener.key');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days',
      '2',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ]);
    const [listen, management, httpPort, tlsPort, dnsPort, dnsManagement] = await freePorts(6);
    const challtest = supervise('pebble-challtestsrv', [
      '-dns01',
      `127.0.0.1:${dnsPort}`,
      '-http01',
      '',
      '-https01',
      '',
      '-tlsalpn01',
      '',
      '-management',
      `127.0.0.1:${dnsManagement}`,
    ]);
    children.push(challtest);
    const configFile = join(dir, 'pebble-config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${listen}`,
          managementListenAddress: `127.0.0.1:${management}`,
          certificate: caFile,
          privateKey: keyFile,
          httpPort,
          tlsPort,
          ocspResponderURL: '',
          externalAccountBindingRequired: false,
          // What a public CA issues (90 days): CertOps refuses lifetimes over 398 days.
          certificateValidityPeriod: 90 * 24 * 60 * 60,
        },
      }),
    );
    pebble = supervise('pebble', ['-config', configFile, '-dnsserver', `127.0.0.1:${dnsPort}`], {
      PEBBLE_VA_ALWAYS_VALID: '1',
      PEBBLE_VA_NOSLEEP: '1',
      // Deterministic runs: no random bad-nonce rejections, no reuse of earlier authorizations.
      PEBBLE_WFE_NONCEREJECT: '0',
      PEBBLE_AUTHZREUSE: '0',
    });
    children.push(pebble);
    const ca = readFileSync(caFile);
    const directoryUrl = `https://127.0.0.1:${listen}/dir`;
    const dnsManagementUrl = `http://127.0.0.1:${dnsManagement}`;
    await Promise.all([
      waitUntil(pebble, 'pebble', () => httpsStatus(directoryUrl, ca).then((s) => s === 200)),
      waitUntil(challtest, 'pebble-challtestsrv', () =>
        fetch(`${dnsManagementUrl}/clear-txt`, {
          method: 'POST',
          body: JSON.stringify({ host: 'ready.invalid.' }),
        }).then((r) => r.ok),
      ),
    ]);
    const manage = async (path: string, body: Record<string, string>) => {
      const res = await fetch(`${dnsManagementUrl}${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`challtestsrv ${path} answered ${res.status}`);
    };
    const fqdn = (host: string) => (host.endsWith('.') ? host : `${host}.`);
    let stopped: Promise<void> | undefined;
    return {
      directoryUrl,
      caFile,
      dnsServer: `127.0.0.1:${dnsPort}`,
      managementUrl: `https://127.0.0.1:${management}`,
      setTxt: (host, value) => manage('/set-txt', { host: fqdn(host), value }),
      clearTxt: (host) => manage('/clear-txt', { host: fqdn(host) }),
      stopPebble: () => pebble?.stop() ?? Promise.resolve(),
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// --- processes ---

/**
 * Runs `command` under a node supervisor that kills it (SIGTERM, then SIGKILL) when its stdin,
 * a pipe from this process, closes: on `stop()` or when the test process dies.
 */
const SUPERVISOR = `
const { spawn } = require('node:child_process');
const [command, ...args] = process.argv.slice(1);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const end = () => { child.kill('SIGTERM'); setTimeout(() => child.kill('SIGKILL'), 2000).unref(); };
process.stdin.on('data', () => {});
process.stdin.on('end', end);
process.stdin.on('error', end);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => { console.error(String(error)); process.exit(127); });
`;

interface Supervised {
  readonly output: () => string;
  readonly exited: () => boolean;
  stop(): Promise<void>;
}

function supervise(command: string, args: string[], env: Record<string, string> = {}): Supervised {
  const child: ChildProcess = spawn(process.execPath, ['-e', SUPERVISOR, command, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    output: () => output,
    exited: () => exited,
    async stop() {
      if (exited) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(
  child: Supervised,
  name: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
    if (child.exited()) throw new Error(`${name} exited at start:\n${child.output()}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`${name} not ready after ${READY_TIMEOUT_MS} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function httpsStatus(url: string, ca: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Distinct ports free for TCP and UDP on 127.0.0.1 (the DNS server needs both). */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freeTcpPort();
    if (!ports.includes(port) && (await udpFree(port))) ports.push(port);
  }
  return ports;
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}
