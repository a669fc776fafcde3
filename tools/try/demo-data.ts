import type { Application, ValidationMethod } from '../../src/domain/application.js';
import { type Certificate, displayState } from '../../src/domain/certificate.js';
import { COMBINED_NAME_PREFIX } from '../../src/domain/combine.js';
import { expiryView } from '../../src/domain/renewal.js';
import type { Result } from '../../src/domain/result.js';
import type { ValidationType } from '../../src/domain/spec.js';
import { type CertificateState, nextState } from '../../src/domain/states.js';
import {
  applyForCertificate,
  type ContactChoice,
} from '../../src/usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { activateHostedRenewal } from '../../src/usecases/expiry-check.js';
import { RecordingEventSink } from '../../src/usecases/ports/index.js';
import { recordIssued, recordValidationFailed } from '../../src/usecases/record-ca-outcome.js';
import { type PurchaseRecord, recordPurchases } from '../../src/usecases/record-purchase.js';
import { requestCombination } from '../../src/usecases/request-combination.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { createDemoCa, type DemoCa } from './demo-pem.js';

/**
 * Demo data for `npm run try --demo`: one team's certificates in every state of docs/domain.md, made
 * through the use cases (audit entries included) so that they are exactly what the real flows
 * produce, with their history backdated on a clock derived from `ctx.clock`.
 */

/** The people of the try session (Slack user IDs allow only upper-case letters and digits). */
export const DEMO_PEOPLE = {
  requester: 'UALICE',
  teammate: 'UBOB',
  approver: 'UAPPROVER',
  secondApprover: 'UCAROL',
  admin: 'UADMIN',
  /** Works in the web team too, with Slack in Chinese: CertOps answers him in zh-CN. */
  chineseTeammate: 'UZHANG',
} as const;

/** Slack locales of the demo people who do not use English. */
export const DEMO_LOCALES: Readonly<Record<string, string>> = {
  [DEMO_PEOPLE.chineseTeammate]: 'zh-CN',
};

export const DEMO_CHANNELS = {
  approvals: 'CAPPROVALS',
  support: 'CSUPPORT',
  general: 'CGENERAL',
  /** Channel id -> name (without `#`), for the shell's rendering. */
  names: { CAPPROVALS: 'approvals', CSUPPORT: 'support', CGENERAL: 'general' },
} as const;

/** The team the requester and the teammate work in; the demo certificates belong to it. */
export const DEMO_TEAM = 'web';

/** Who is who, for the shell's `who` and `as`; the session starts as the requester. */
export const DEMO_PEOPLE_ROLES: {
  readonly defaultUser: string;
  readonly roles: Readonly<Record<string, string>>;
} = {
  defaultUser: DEMO_PEOPLE.requester,
  roles: {
    [DEMO_PEOPLE.requester]: 'Alice, requester (team web)',
    [DEMO_PEOPLE.teammate]: 'Bob, teammate (team web)',
    [DEMO_PEOPLE.approver]: 'approver (team ops)',
    [DEMO_PEOPLE.secondApprover]: 'Carol, second approver (team ops)',
    [DEMO_PEOPLE.admin]: 'admin: records purchases and CA outcomes (team ops)',
    [DEMO_PEOPLE.chineseTeammate]: 'Zhang Wei, teammate (team web), Slack in Chinese (zh-CN)',
  },
};

/**
 * Configuration giving these people their roles; the shell adds Slack tokens, URLs, Redis and
 * prefixes. The manual CA is set explicitly: the seed records the CA's outcomes by hand.
 */
export const DEMO_ENV: Readonly<Record<string, string>> = {
  CERTOPS_APPROVERS: `${DEMO_PEOPLE.approver},${DEMO_PEOPLE.secondApprover}`,
  CERTOPS_ADMINS: DEMO_PEOPLE.admin,
  CERTOPS_TEAMS: `${DEMO_TEAM}=${DEMO_PEOPLE.requester},${DEMO_PEOPLE.teammate},${DEMO_PEOPLE.chineseTeammate}; ops=${DEMO_PEOPLE.approver},${DEMO_PEOPLE.secondApprover},${DEMO_PEOPLE.admin}`,
  CERTOPS_APPROVAL_CHANNEL: DEMO_CHANNELS.approvals,
  CERTOPS_SUPPORT_CHANNEL: DEMO_CHANNELS.support,
  CERTOPS_TIMEZONE: 'Asia/Shanghai',
  CERTOPS_BUSINESS_REGION: 'CN',
  CERTOPS_EXPIRY_REMINDER_DAYS: '30,14,7,3,1',
  CERTOPS_CA_ROUTES: '*=manual',
};

/** Shown by Slack besides the stored state: 托管, within 30 natural days of expiry, past it. */
export type DerivedState = 'hosted' | 'expiring' | 'expired';

export interface DemoInstance {
  readonly id: string;
  readonly name: string;
  /** The stored state (src/domain/states.ts). */
  readonly state: CertificateState;
  readonly derived: readonly DerivedState[];
  /** What to try with it, one line. */
  readonly note: string;
}

export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

const DAY_MS = 86_400_000;
const ALICE = DEMO_PEOPLE.requester;
const BOB = DEMO_PEOPLE.teammate;
const ADMIN = DEMO_PEOPLE.admin;

/** Instance names; the seed and a second call find the demo certificates by them. */
const NAMES = {
  combineA: 'OV multi-domain A',
  combineB: 'OV multi-domain B',
  twoYear: 'OV multi-domain, 2-year',
  mergedC: 'OV multi-domain C',
  mergedD: 'OV multi-domain D',
  shop: 'shop.example.com',
  api: 'api.example.com',
  old: 'old.example.com',
  www: 'www.example.com',
  mail: 'mail.example.com',
  blog: 'blog.example.com',
  legacy: 'legacy.example.com',
  vpn: 'vpn.example.com',
  spare: 'DV spare',
  intranet: 'intranet.example.com',
} as const;
type DemoKey = keyof typeof NAMES | 'combined' | 'wwwRenewal' | 'blogRenewal';

const RENEWAL_SUFFIX = ' (renewal)';

/**
 * Seeds the demo team's certificates into an empty store and returns them, one line each on
 * what to try. A store that already holds them is left alone and what is there is returned;
 * a store holding other certificates is refused, so demo data never mixes with real data.
 */
export async function seedDemoData(ctx: UseCaseContext): Promise<readonly DemoInstance[]> {
  if ((await ctx.store.certificates.count()) > 0) {
    const existing = await describeDemoData(ctx);
    if (existing.length === 0)
      throw new DemoSeedError(
        'the store already holds certificates that are not demo data; demo data is only seeded into an empty store',
      );
    return existing;
  }
  await new DemoSeed(ctx).run();
  return describeDemoData(ctx);
}

/**
 * Who did what and when, in order. History is seeded quietly: notifications about decisions
 * of "a year ago" would only bury the demo. The requests still waiting for someone (the
 * approval, the manual CA outcome) are announced afterwards exactly as the real flow announces
 * them, so their Slack messages with buttons exist.
 */
class DemoSeed {
  private readonly quiet = new RecordingEventSink();
  private ca: DemoCa | undefined;
  private readonly base: number;
  private readonly ids = new Map<string, string>();
  private aliceContact: ContactChoice = {
    kind: 'new',
    fields: { name: 'Alice Wang', email: 'alice@example.com', phone: '+8613800000001' },
  };
  private bobContact: ContactChoice = {
    kind: 'new',
    fields: { name: 'Bob Li', email: 'bob@example.com', phone: '+8613800000002' },
  };

  constructor(private readonly ctx: UseCaseContext) {
    this.base = ctx.clock.now().getTime();
  }

  async run(): Promise<void> {
    this.ca = await createDemoCa(this.day(-800), this.day(800));
    await this.purchase(400, [
      instances(NAMES.www, 'DigiCert', 'OV'),
      instances(NAMES.mail, 'DigiCert', 'OV'),
      instances(NAMES.blog, 'DigiCert', 'OV'),
      instances(NAMES.legacy, 'GeoTrust', 'DV'),
      instances(NAMES.vpn, 'DigiCert', 'OV'),
      { kind: 'hosting_credits', team: DEMO_TEAM, count: 4 },
    ]);
    await this.checkManualCa();

    // blog: issued with hosting 400 days ago; in its window its renewal was activated and
    // issued, replacing it (replaced), and the renewal is the live certificate now.
    await this.issue(400, 'blog', ALICE, ['blog.example.com'], { hosting: true, daysLeft: -35 });
    const blog = await this.cert('blog');
    const activated = must(
      'activate the renewal of blog',
      await activateHostedRenewal(this.past(60), blog),
    );
    must(
      'issue the renewal of blog',
      await recordIssued(this.past(58), {
        applicationId: activated.application.id,
        actor: ADMIN,
        pem: await this.pem(['blog.example.com'], 58, 307, 'OV'),
      }),
    );
    this.ids.set('blogRenewal', activated.application.certificateId);

    await this.issue(368, 'legacy', BOB, ['legacy.example.com'], { daysLeft: -3 });
    await this.issue(345, 'www', ALICE, ['www.example.com'], { hosting: true, daysLeft: 20 });
    this.ids.set('wwwRenewal', (await this.cert('www')).renewalId ?? '');
    await this.issue(345, 'mail', BOB, ['mail.example.com'], { daysLeft: 20 });
    await this.issue(100, 'vpn', ALICE, ['vpn.example.com'], { daysLeft: 265 });
    await this.transition(10, 'vpn', 'revoke', 'private key published in a public repository');

    await this.purchase(20, [
      instances(NAMES.combineA, 'DigiCert', 'OV', { domainType: 'multi', domainQuota: 2 }),
      instances(NAMES.combineB, 'DigiCert', 'OV', { domainType: 'multi', domainQuota: 2 }),
      instances(NAMES.twoYear, 'DigiCert', 'OV', {
        domainType: 'multi',
        domainQuota: 2,
        validityYears: 2,
      }),
      instances(NAMES.mergedC, 'DigiCert', 'OV', { domainType: 'multi', domainQuota: 2 }),
      instances(NAMES.mergedD, 'DigiCert', 'OV', { domainType: 'multi', domainQuota: 2 }),
      instances(NAMES.shop, 'DigiCert', 'OV'),
      instances(NAMES.api, 'DigiCert', 'OV'),
      instances(NAMES.old, 'GeoTrust', 'DV'),
      instances(NAMES.spare, 'GeoTrust', 'DV'),
    ]);

    // C + D were combined (both merged) into a cas-merge instance of quota 4.
    const combination = must(
      'request combining C and D',
      await requestCombination(this.past(10), {
        certificateId: this.id('mergedC'),
        requesterId: BOB,
        combineWith: [this.id('mergedD')],
        confirmedNoRefund: true,
      }),
    );
    await this.approve(10, combination.application.id, DEMO_PEOPLE.secondApprover);
    this.ids.set('combined', (await this.cert('mergedC')).mergedInto ?? '');

    // old: the CA could not validate it; it may be applied for again.
    const oldApp = await this.apply(7, 'old', ALICE, ['old.example.com'], 'file');
    await this.approve(7, oldApp.id);
    must(
      'record the failed validation of old',
      await recordValidationFailed(this.past(5), {
        applicationId: oldApp.id,
        actor: ADMIN,
        reason: 'The file at /.well-known/pki-validation/ returned HTTP 404',
      }),
    );
    await this.transition(5, 'spare', 'cancel', 'refunded by the reseller');

    must(
      'upload intranet',
      await uploadCertificate(this.past(3), {
        pem: await this.pem(['intranet.example.com', 'wiki.example.com'], 60, 300, 'OV'),
        uploaderId: BOB,
        name: NAMES.intranet,
      }),
    );

    // Live: api is submitted now (its SLA runs from now); shop waits for an approver.
    const apiApp = await this.apply(0, 'api', ALICE, ['api.example.com'], 'email');
    await this.approve(0, apiApp.id);
    await this.apply(0, 'shop', BOB, ['shop.example.com'], 'dns');

    await this.announceOpenRequests();
  }

  /** Replays the events of requests still waiting for someone, as their flows announced them. */
  private async announceOpenRequests(): Promise<void> {
    for (const event of this.quiet.events) {
      if (event.type !== 'approval_requested' && event.type !== 'submitted_to_ca') continue;
      const app = await this.ctx.store.applications.get(event.application.id);
      const waiting = event.type === 'approval_requested' ? 'awaiting_approval' : 'submitted';
      if (app?.status === waiting) await this.ctx.events.publish(event);
    }
  }

  private day(offsetDays: number): Date {
    return new Date(this.base + offsetDays * DAY_MS);
  }

  /** The use cases `daysAgo` days back, quiet. Alarms go only with the live (day 0) steps. */
  private past(daysAgo: number): UseCaseContext {
    const { reviewAlarms, ...rest } = this.ctx;
    const clock = { now: () => new Date(this.ctx.clock.now().getTime() - daysAgo * DAY_MS) };
    // A backdated submission's SLA points lie in the past: an alarm would escalate at once.
    return daysAgo === 0
      ? { ...rest, clock, events: this.quiet, ...(reviewAlarms ? { reviewAlarms } : {}) }
      : { ...rest, clock, events: this.quiet };
  }

  private pem(
    names: readonly string[],
    issuedDaysAgo: number,
    daysLeft: number,
    validationType: ValidationType,
  ): Promise<string> {
    if (!this.ca) throw new DemoSeedError('demo data: the demo CA was not created');
    return this.ca.issue({
      names,
      notBefore: this.day(-issuedDaysAgo),
      notAfter: this.day(daysLeft),
      validationType,
    });
  }

  private id(key: DemoKey): string {
    const id = this.ids.get(key);
    if (!id) throw new DemoSeedError(`demo data: ${key} was not created`);
    return id;
  }

  private async cert(key: DemoKey): Promise<Certificate> {
    const cert = await this.ctx.store.certificates.get(this.id(key));
    if (!cert) throw new DemoSeedError(`demo data: ${key} is missing from the store`);
    return cert;
  }

  private async purchase(daysAgo: number, records: readonly PurchaseRecord[]): Promise<void> {
    const bought = must(
      'record purchases',
      await recordPurchases(this.past(daysAgo), ADMIN, records),
    );
    const named = records.filter((r) => r.kind === 'instances');
    bought.certificateIds.forEach((id, i) => {
      const name = named[i]?.name;
      const key = (Object.keys(NAMES) as (keyof typeof NAMES)[]).find((k) => NAMES[k] === name);
      if (key) this.ids.set(key, id);
    });
  }

  /** The seed records every CA outcome by hand: a CA with an API would be asked for real. */
  private async checkManualCa(): Promise<void> {
    for (const key of ['www', 'legacy'] as const) {
      const provider = this.ctx.ca.providerFor(await this.cert(key));
      if (provider.outcomes !== 'manual')
        throw new DemoSeedError(
          `demo data needs the manual CA, but ${provider.name} takes these certificates (set CERTOPS_CA_ROUTES=*=manual)`,
        );
    }
  }

  private async apply(
    daysAgo: number,
    key: keyof typeof NAMES,
    requesterId: string,
    domains: readonly string[],
    validationMethod: ValidationMethod,
    hosting = false,
  ): Promise<Application> {
    const applied = must(
      `apply for ${key}`,
      await applyForCertificate(this.past(daysAgo), {
        certificateId: this.id(key),
        requesterId,
        domains,
        validationMethod,
        contact: requesterId === ALICE ? this.aliceContact : this.bobContact,
        hosting,
      }),
    );
    // The contact is created with the first request; later requests confirm it.
    const contactId = applied.application.contactId;
    if (contactId) {
      if (requesterId === ALICE) this.aliceContact = { kind: 'existing', contactId };
      else this.bobContact = { kind: 'existing', contactId };
    }
    return applied.application;
  }

  private async approve(
    daysAgo: number,
    applicationId: string,
    deciderId: string = DEMO_PEOPLE.approver,
  ): Promise<void> {
    const decided = must(
      `approve ${applicationId}`,
      await decideApplication(this.past(daysAgo), {
        applicationId,
        deciderId,
        decision: 'approve',
      }),
    );
    if (decided.caError) throw new DemoSeedError(`demo data: the CA refused ${applicationId}`);
  }

  /** Applied, approved, submitted and issued on one day, valid until `daysLeft` from today. */
  private async issue(
    daysAgo: number,
    key: keyof typeof NAMES,
    requesterId: string,
    domains: readonly string[],
    options: { daysLeft: number; hosting?: boolean },
  ): Promise<void> {
    const cert = await this.cert(key);
    const method = cert.spec.validationType === 'DV' ? 'dns' : 'email';
    const app = await this.apply(daysAgo, key, requesterId, domains, method, options.hosting);
    await this.approve(daysAgo, app.id);
    must(
      `issue ${key}`,
      await recordIssued(this.past(daysAgo), {
        applicationId: app.id,
        actor: ADMIN,
        pem: await this.pem(domains, daysAgo, options.daysLeft, cert.spec.validationType),
      }),
    );
  }

  /**
   * Straight through the store: no use case revokes or cancels yet (revocation and refunds
   * happen outside the bot; the CAS import only reads REVOKED). The domain's own transition
   * decides the new state, and the change is audited like any other.
   */
  private async transition(
    daysAgo: number,
    key: keyof typeof NAMES,
    event: 'revoke' | 'cancel',
    reason: string,
  ): Promise<void> {
    const cert = await this.cert(key);
    const to = must(`${event} ${key}`, nextState(cert.state, event));
    const at = this.past(daysAgo).clock.now().getTime();
    const result = await this.ctx.store.commit((tx) =>
      tx.updateCertificate(
        cert,
        { ...cert, state: to },
        { actor: ADMIN, at, action: event, reason },
      ),
    );
    if (!result.ok) throw new DemoSeedError(`demo data: ${event} ${key}: ${result.conflict.kind}`);
  }
}

function instances(
  name: string,
  brand: string,
  validationType: ValidationType,
  options: Partial<{
    domainType: 'single' | 'multi';
    domainQuota: number;
    validityYears: number;
  }> = {},
): PurchaseRecord {
  return {
    kind: 'instances',
    brand,
    validationType,
    domainType: options.domainType ?? 'single',
    grade: 'standard',
    validityYears: options.validityYears ?? 1,
    domainQuota: options.domainQuota ?? 1,
    quantity: 1,
    team: DEMO_TEAM,
    name,
  };
}

function must<T>(step: string, result: Result<T>): T {
  if (result.ok) return result.value;
  const params = result.refusal.params ? ` ${JSON.stringify(result.refusal.params)}` : '';
  throw new DemoSeedError(`demo data: ${step} was refused: ${result.refusal.code}${params}`);
}

// --- what is there, and what to try with it ---

interface Facts {
  readonly cert: Certificate;
  readonly daysLeft: number | undefined;
  /** The request under way for it, if any. */
  readonly open: Application | undefined;
  readonly now: number;
  /** Id of another demo certificate, or `?` when it is not there. */
  ref(key: DemoKey): string;
}

const P = DEMO_PEOPLE;
const code = (text: string) => `\`${text}\``;

/** In display order: the key, how its certificate is recognized, and what to try with it. */
const CATALOG: ReadonlyArray<{
  readonly key: DemoKey;
  readonly matches: (name: string) => boolean;
  readonly note: (facts: Facts) => string;
}> = [
  entry(
    'combineA',
    (f) =>
      `Pending OV, 1 year: ${code(`/cert combine ${f.cert.id}`)} as ${ALICE}, pick ${f.ref('combineB')} (same brand and type), tick "no refund"`,
  ),
  entry(
    'combineB',
    (f) =>
      `Pending OV, 1 year: combinable with ${f.ref('combineA')}; or ${code(`/cert apply ${f.cert.id}`)} (2 names)`,
  ),
  entry(
    'twoYear',
    () =>
      'Pending OV with a 2-year validity: the combine dialog lists it as not combinable (only 1-year instances combine)',
  ),
  {
    key: 'combined',
    matches: (name) => name.startsWith(`${COMBINED_NAME_PREFIX}-`),
    note: (f) =>
      `Combined from C and D (quota ${f.cert.domainQuota}): ${code(`/cert apply ${f.cert.id}`)} binds up to ${f.cert.domainQuota} names`,
  },
  entry('mergedC', (f) => `Merged into ${f.ref('combined')} (terminal)`),
  entry('mergedD', (f) => `Merged into ${f.ref('combined')} (terminal)`),
  entry('shop', (f) =>
    f.open?.status === 'awaiting_approval'
      ? `Application ${f.open.id} by ${BOB} awaits approval: as ${P.approver} press Approve or Reject in #approvals`
      : `Was waiting for approval; ${code(`/cert status ${f.cert.id}`)} shows what happened`,
  ),
  entry('api', (f) => {
    const remindAt = f.open?.sla?.remindAt;
    if (f.cert.state !== 'under_review' || remindAt === undefined)
      return `Was under CA review; ${code(`/cert status ${f.cert.id}`)} shows what happened`;
    const days = Math.max(1, Math.ceil((remindAt - f.now) / DAY_MS));
    return `OV under CA review: ${code(`advance ${days}d`)} sends the 1-business-day SLA reminder to ${ALICE}; ${P.admin} records issued or failed in #support`;
  }),
  entry(
    'old',
    (f) =>
      `Validation failed (the CA could not fetch the file): apply again with ${code(`/cert apply ${f.cert.id}`)}`,
  ),
  entry(
    'www',
    (f) =>
      `Hosted, expires in ${f.daysLeft} days: the next expiry check activates its renewal ${f.ref('wwwRenewal')} (${code('advance 1d')})`,
  ),
  {
    key: 'wwwRenewal',
    matches: (name) => name === `${NAMES.www}${RENEWAL_SUFFIX}`,
    note: (f) =>
      `Linked renewal of ${f.ref('www')}, not activated: the expiry check activates and submits it`,
  },
  entry(
    'mail',
    (f) =>
      `Not hosted, expires in ${f.daysLeft} days: the expiry check reminds ${BOB} (30-day step, then 14 and 7); ${code(`/cert renew ${f.cert.id}`)} offers the renewal purchase`,
  ),
  {
    key: 'blogRenewal',
    matches: (name) => name === `${NAMES.blog}${RENEWAL_SUFFIX}`,
    note: (f) =>
      `Issued (managed renewal of ${f.ref('blog')}), ${f.daysLeft} days left: ${code(`/cert renew ${f.cert.id}`)} enables hosting, after approval`,
  },
  entry('blog', (f) => `Replaced by its managed renewal ${f.ref('blogRenewal')} (terminal)`),
  entry(
    'legacy',
    (f) =>
      `Expired ${Math.abs(f.daysLeft ?? 0)} days ago: the expiry check tells ${BOB} and escalates to #support`,
  ),
  entry(
    'intranet',
    (f) =>
      `Uploaded by ${BOB} for tracking: ${code(`/cert renew ${f.cert.id}`)} enables hosting; ${code('/cert upload')} tracks your own`,
  ),
  entry('vpn', () => 'Revoked (private key published): terminal, kept for the record'),
  entry('spare', () => 'Cancelled (refunded by the reseller): terminal, kept for the record'),
];

function entry(key: keyof typeof NAMES, note: (facts: Facts) => string) {
  return { key, matches: (name: string) => name === NAMES[key], note };
}

/** The demo team's certificates as they are now, in catalog order, with what to try. */
export async function describeDemoData(ctx: UseCaseContext): Promise<DemoInstance[]> {
  const ids = await ctx.store.certificates.idsOfTeam(DEMO_TEAM);
  const certs = await ctx.store.certificates.getMany(ids);
  const found = new Map<DemoKey, Certificate>();
  for (const cert of certs) {
    const item = CATALOG.find((c) => c.matches(cert.name));
    if (item && !found.has(item.key)) found.set(item.key, cert);
  }
  const now = ctx.clock.now();
  const { timeZone } = ctx.policy;
  const instances: DemoInstance[] = [];
  for (const item of CATALOG) {
    const cert = found.get(item.key);
    if (!cert) continue;
    const expiry =
      cert.notAfter === undefined ? undefined : expiryView(cert.notAfter, now, timeZone);
    const derived: DerivedState[] = [];
    if (displayState(cert) === 'hosted') derived.push('hosted');
    if (
      expiry &&
      expiry.status !== 'valid' &&
      (cert.state === 'issued' || cert.state === 'uploaded')
    )
      derived.push(expiry.status);
    const open = cert.openApplicationId
      ? await ctx.store.applications.get(cert.openApplicationId)
      : undefined;
    const note = item.note({
      cert,
      daysLeft: expiry?.daysLeft,
      open,
      now: now.getTime(),
      ref: (key) => found.get(key)?.id ?? '?',
    });
    instances.push({ id: cert.id, name: cert.name, state: cert.state, derived, note });
  }
  return instances;
}
