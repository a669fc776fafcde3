import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { DomainChallenge } from '../usecases/ports/index.js';

/**
 * CertOps' own look at the DNS-01 records before it asks the CA to validate: a CA that finds a
 * record missing fails the whole order, so a Verify click before the records are visible only
 * says which are missing and leaves the order as it is.
 */

export interface TxtCheck {
  /** Challenges whose value is not (yet) among the TXT records of their name. */
  readonly missing: readonly DomainChallenge[];
  /** Names the resolver could not answer for (timeout, SERVFAIL): also counted as missing. */
  readonly unanswered: readonly { readonly name: string; readonly code: string }[];
}

/** Answers that mean "no such record (yet)", as opposed to a resolver that failed. */
const ABSENT = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN', 'ENONAME']);

/**
 * A TXT checker asking `servers` (IP or IP:port, `[IPv6]:port`), or the system's resolvers.
 * Throws at once (start-up) when a server is not an IP address.
 */
export function txtChecker(
  servers: readonly string[] | undefined,
): (challenges: readonly DomainChallenge[]) => Promise<TxtCheck> {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  if (servers && servers.length > 0) {
    for (const server of servers) {
      const host = server.startsWith('[')
        ? server.slice(1, server.indexOf(']'))
        : server.includes('.')
          ? server.split(':')[0]
          : server;
      if (!isIP(host ?? ''))
        throw new Error(
          `CERTOPS_ACME_DNS_SERVERS: ${JSON.stringify(server)} is not an IP address (with an optional :port)`,
        );
    }
    resolver.setServers([...servers]);
  }
  return async (challenges) => {
    const names = [...new Set(challenges.map((c) => c.name.toLowerCase()))];
    const found = new Map<string, Set<string>>();
    const unanswered: { name: string; code: string }[] = [];
    await Promise.all(
      names.map(async (name) => {
        try {
          const records = await resolver.resolveTxt(name);
          found.set(name, new Set(records.map((chunks) => chunks.join(''))));
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
          found.set(name, new Set());
          if (!ABSENT.has(code)) unanswered.push({ name, code });
        }
      }),
    );
    const missing = challenges.filter(
      (c) => !(found.get(c.name.toLowerCase())?.has(c.value) ?? false),
    );
    return { missing, unanswered };
  };
}
