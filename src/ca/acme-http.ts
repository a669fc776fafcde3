import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent, type AgentOptions } from 'node:https';
import { rootCertificates } from 'node:tls';
import * as acme from 'acme-client';
import { CaError } from '../usecases/ports/index.js';

/**
 * How CertOps talks HTTP to an ACME server through acme-client, which sends every request
 * through one shared axios instance (`acme.axios`) and has no per-client TLS or retry option.
 * Two interceptors, added once, act only on requests made inside a provider call (`acmeCall`,
 * tracked with AsyncLocalStorage) to that provider's own server: any other use of the instance
 * is left alone, and TLS verification is never turned off, for this server or any other.
 *
 * Inside a provider call, for its server:
 * - the provider's own https.Agent: Node's public roots plus `CERTOPS_ACME_CA_FILE` when set (a
 *   private or test CA), so trusting a private ACME server changes no other connection;
 * - a request timeout;
 * - no retries inside acme-client (its built-in 5 retries wait 5 + 10 + ... + 25 s, over a
 *   minute, while a person waits for their Verify click): one attempt, then a transient
 *   CaError, and the person or the job tries again later;
 * - what each request ended with is noted, so a failure becomes a CaError that says what
 *   happened and whether a retry may help.
 */

/** One provider call in progress: its server's settings, and what its requests ended with. */
interface Exchange {
  readonly server: AcmeServer;
  readonly failures: Failure[];
  /** The last socket error of this call (acme-client loses the original error: see below). */
  socketError?: string;
}

type Failure =
  | { readonly kind: 'response'; readonly status: number; readonly problem: Problem }
  /** No response: refused, reset, timed out or the TLS handshake failed (`code` when known). */
  | { readonly kind: 'no_response'; readonly code: string | undefined };

interface Problem {
  readonly type: string | undefined;
  readonly detail: string | undefined;
  readonly retryAfter: string | undefined;
}

/** One configured ACME server, as a provider talks to it. */
export interface AcmeServer {
  readonly origin: string;
  readonly agent: Agent;
  readonly timeoutMs: number;
}

const calls = new AsyncLocalStorage<Exchange>();
let installed = false;

/** TLS errors that no retry fixes: the server's certificate is not trusted or does not match. */
const TLS_CODES =
  /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_|HOSTNAME_MISMATCH|EPROTO$)/;

/**
 * The ACME server at `directoryUrl`, as one provider sees it: its agent trusts `ca` (PEM) on top
 * of Node's roots. Settings belong to the provider's calls, not to the origin or the process.
 */
export function acmeServer(
  directoryUrl: string,
  options: { readonly ca?: Buffer; readonly timeoutMs: number },
): AcmeServer {
  install();
  const agentOptions: AgentOptions = {
    // One connection per request: a socket belongs to the call that opened it (see below).
    keepAlive: false,
    ...(options.ca ? { ca: [...rootCertificates, options.ca.toString('utf8')] } : {}),
  };
  return {
    origin: new URL(directoryUrl).origin,
    agent: new NotingAgent(agentOptions),
    timeoutMs: options.timeoutMs,
  };
}

/**
 * Runs one provider step (`what`, e.g. "creating the order") against `server` and turns any
 * failure into a CaError: transient for no answer, 429 and 5xx; not transient for refusals
 * (4xx) and TLS trust problems. Messages never contain keys: statuses, problem types, details.
 */
export async function acmeCall<T>(
  provider: string,
  server: AcmeServer,
  what: string,
  run: () => Promise<T>,
): Promise<T> {
  const exchange: Exchange = { server, failures: [] };
  try {
    return await calls.run(exchange, run);
  } catch (error) {
    throw toCaError(provider, what, server.origin, exchange, error);
  }
}

function toCaError(
  provider: string,
  what: string,
  origin: string,
  exchange: Exchange,
  error: unknown,
): CaError {
  if (error instanceof CaError) return error;
  const failure = exchange.failures.find((f) => transient(f)) ?? exchange.failures.find(() => true);
  const fallback = error instanceof Error ? error.message : String(error);
  if (!failure) return new CaError(provider, clean(`${what}: ${fallback}`), false);
  if (failure.kind === 'no_response') {
    if (failure.code && TLS_CODES.test(failure.code)) {
      return new CaError(
        provider,
        clean(
          `${what}: the TLS certificate of ${origin} is not trusted (${failure.code}); set CERTOPS_ACME_CA_FILE for a private CA`,
        ),
        false,
      );
    }
    return new CaError(
      provider,
      clean(
        `${what}: no answer from the ACME server ${origin} (${failure.code ?? 'timed out or connection lost'})`,
      ),
      true,
    );
  }
  const { status, problem } = failure;
  const detail = problem.detail ?? fallback;
  const type = problem.type?.replace('urn:ietf:params:acme:error:', '');
  const retry = problem.retryAfter ? `, retry after ${problem.retryAfter}` : '';
  const said = `${status}${type ? ` ${type}` : ''}${retry}`;
  return new CaError(
    provider,
    clean(`${what}: the ACME server answered ${said}: ${detail}`),
    transient(failure),
  );
}

function transient(failure: Failure): boolean {
  if (failure.kind === 'no_response') return !(failure.code && TLS_CODES.test(failure.code));
  const type = failure.problem.type ?? '';
  return (
    failure.status === 429 ||
    failure.status >= 500 ||
    type.endsWith(':rateLimited') ||
    type.endsWith(':serverInternal')
  );
}

/** One line, bounded: it reaches Slack and the store as the CA's error. */
function clean(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

// --- the interceptors ---

/** The call in progress, when `url` is on its server (anything else is left alone). */
function exchangeFor(url: string | undefined): Exchange | undefined {
  const exchange = calls.getStore();
  if (!exchange || !url) return undefined;
  try {
    return new URL(url).origin === exchange.server.origin ? exchange : undefined;
  } catch {
    return undefined;
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  acme.axios.interceptors.request.use((config) => {
    const exchange = exchangeFor(config.url);
    if (!exchange) return config;
    config.httpsAgent = exchange.server.agent;
    config.timeout = exchange.server.timeoutMs;
    // acme-client counts attempts in `retryAttempt` and retries while it is within its
    // maximum: starting past any maximum means one attempt only.
    (config as { retryAttempt?: number }).retryAttempt = Number.MAX_SAFE_INTEGER;
    return config;
  });
  // Runs after acme-client's own response interceptor, which turns every answer (even 4xx and
  // 5xx) into a response; a request without an answer arrives as a rejection.
  acme.axios.interceptors.response.use(
    (response) => {
      const exchange = exchangeFor(response.config?.url);
      if (exchange && response.status >= 400) {
        exchange.failures.push({
          kind: 'response',
          status: response.status,
          problem: problemOf(response.data, response.headers?.['retry-after']),
        });
      }
      return response;
    },
    (error: unknown) => {
      const exchange = calls.getStore();
      if (exchange) {
        const code = (error as { code?: unknown } | undefined)?.code;
        exchange.failures.push({
          kind: 'no_response',
          code: typeof code === 'string' ? code : exchange.socketError,
        });
      }
      return Promise.reject(error);
    },
  );
}

function problemOf(data: unknown, retryAfter: unknown): Problem {
  const body = (typeof data === 'object' && data !== null ? data : {}) as {
    type?: unknown;
    detail?: unknown;
  };
  return {
    type: typeof body.type === 'string' ? body.type : undefined,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
  };
}

// acme-client loses the original error of a request that got no answer (its interceptor
// rethrows a TypeError), so the socket's own error (ECONNREFUSED, a TLS code) is noted here.
class NotingAgent extends Agent {
  override createConnection(
    ...args: Parameters<Agent['createConnection']>
  ): ReturnType<Agent['createConnection']> {
    const socket = super.createConnection(...args);
    const exchange = calls.getStore();
    if (socket && exchange) {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code) exchange.socketError = error.code;
      });
    }
    return socket;
  }
}
