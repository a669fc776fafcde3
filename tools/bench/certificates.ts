import type { Certificate } from '../../src/domain/certificate.js';
import { randomIds } from '../../src/usecases/ids.js';

export const DAY = 86_400_000;
/** Teams besides `default` the seeded certificates spread over. */
export const OTHER_TEAMS = 400;

/**
 * The bench's issued certificate number `index`: one domain, an owner among 1,000, a team among
 * 400; `inWindow` ones expire within 30 days of `now`, the others in 60 to 760 days.
 */
export function issued(index: number, now: number, inWindow: boolean): Certificate {
  const notAfter = inWindow
    ? now + (1 + (index % 29)) * DAY + (index % 997) * 1000
    : now + (60 + (index % 700)) * DAY;
  return {
    id: randomIds.next('cert'),
    name: `bench ${index}`,
    spec: { brand: 'DigiCert', validationType: 'DV', domainType: 'single', grade: 'Basic' },
    validityYears: 1,
    domainQuota: 1,
    state: 'issued',
    source: 'purchased',
    domains: [`h${index}.bench.example.com`],
    team: `t${index % OTHER_TEAMS}`,
    ownerUserId: `UOWNER${index % 1000}`,
    hosted: false,
    notBefore: notAfter - 365 * DAY,
    notAfter,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
