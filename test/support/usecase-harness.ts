import { readFileSync } from 'node:fs';
import { manualOnly } from '../../src/ca/manual-provider.js';
import { buildCalendarData } from '../../src/calendar/holiday-data.js';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { fixedClock } from '../../src/domain/clock.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { teamDirectory, type UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import type { IdGenerator } from '../../src/usecases/ids.js';
import type { CaRegistry } from '../../src/usecases/ports/index.js';
import { RecordingDispatcher, RecordingEventSink } from '../../src/usecases/ports/index.js';
import { recordIssued } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { type TestRedis, testRedis } from './redis.js';

export const TZ = 'Asia/Shanghai';
export const ADMIN = 'UADMIN';
export const APPROVER = 'UAPPROVER1';
export const APPROVER2 = 'UAPPROVER2';
export const ALICE = 'UALICE'; // team web
export const BOB = 'UBOB'; // team web
export const CAROL = 'UCAROL'; // team pay

export function sequentialIds(): IdGenerator & { reset(): void } {
  const counters = { cert: 0, app: 0, contact: 0 };
  return {
    next: (kind) => `${kind === 'contact' ? 'p' : kind[0]}${++counters[kind]}`,
    reset: () => Object.assign(counters, { cert: 0, app: 0, contact: 0 }),
  };
}

export function pem(name: string): string {
  return readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');
}

export interface Harness {
  readonly ctx: UseCaseContext;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly events: RecordingEventSink;
  /** What the use cases dispatched (the clocks' messages, support's case closings). */
  readonly dispatcher: RecordingDispatcher;
  readonly redis: TestRedis;
  cleanup(): Promise<void>;
}

/** Use cases over a real Redis store, a fake clock (Tue 2126-06-04, where the issued fixtures are valid), manual CA. */
export async function harness(options: { start?: string; ca?: CaRegistry } = {}): Promise<Harness> {
  const redis = await testRedis();
  const clock = fixedClock(new Date(options.start ?? '2126-06-04T10:00:00+08:00'));
  const events = new RecordingEventSink();
  const dispatcher = new RecordingDispatcher();
  const ctx: UseCaseContext = {
    store: new RedisStore(redis.redis, redis.prefix),
    clock,
    ids: sequentialIds(),
    calendar: new BusinessCalendar(buildCalendarData({ region: 'CN', timeZone: TZ })),
    policy: {
      approvers: new Set([APPROVER, APPROVER2]),
      admins: new Set([ADMIN]),
      timeZone: TZ,
      reminderDays: [30, 14, 7, 3, 1],
    },
    teams: teamDirectory({
      [ALICE]: 'web',
      [BOB]: 'web',
      [CAROL]: 'pay',
      [APPROVER]: 'ops',
      [APPROVER2]: 'ops',
    }),
    ca: options.ca ?? manualOnly,
    events,
    dispatcher,
  };
  return { ctx, clock, events, dispatcher, redis, cleanup: () => redis.cleanup() };
}

/** Buys `quantity` instances of a spec for team web and returns their ids. */
export async function buy(
  ctx: UseCaseContext,
  spec: Partial<{
    brand: string;
    validationType: 'DV' | 'OV' | 'EV';
    domainType: 'single' | 'multi' | 'wildcard' | 'multi_wildcard' | 'hybrid';
    domainQuota: number;
    validityYears: number;
    quantity: number;
    team: string;
  }> = {},
): Promise<string[]> {
  const result = await recordPurchases(ctx, ADMIN, [
    {
      kind: 'instances',
      brand: spec.brand ?? 'DigiCert',
      validationType: spec.validationType ?? 'OV',
      domainType: spec.domainType ?? 'multi',
      grade: 'standard',
      validityYears: spec.validityYears ?? 1,
      domainQuota: spec.domainQuota ?? 2,
      quantity: spec.quantity ?? 1,
      team: spec.team ?? 'web',
    },
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return [...result.value.certificateIds];
}

/**
 * An OV certificate of team web for shop.example.com, applied for by Alice (a new contact, Li
 * Lei), approved and issued: shop-ov-2126.pem, expiring 2127-03-01 08:00 in Asia/Shanghai.
 */
export async function issuedShop(ctx: UseCaseContext, hosting = false): Promise<string> {
  const [id = ''] = await buy(ctx);
  await applyForCertificate(ctx, {
    certificateId: id,
    requesterId: ALICE,
    domains: ['shop.example.com'],
    validationMethod: 'dns',
    contact: {
      kind: 'new',
      fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
    },
    hosting,
  });
  const [app = ''] = await ctx.store.applications.idsOfCertificate(id);
  await decideApplication(ctx, { applicationId: app, deciderId: APPROVER, decision: 'approve' });
  const issued = await recordIssued(ctx, {
    applicationId: app,
    actor: APPROVER,
    pem: pem('shop-ov-2126.pem'),
  });
  if (!issued.ok) throw new Error(JSON.stringify(issued.refusal));
  return id;
}
