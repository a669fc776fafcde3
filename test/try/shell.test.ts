import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../tools/try/demo-data.js';
import { createDemoCa } from '../../tools/try/demo-pem.js';
import { startTrySession, type TrySession } from '../../tools/try/session.js';
import { deleteByPattern, type TestRedis, testRedis } from '../support/redis.js';

/**
 * The try shell tested as a person uses it: lines typed in, the screen read back. The session
 * is the real bot (web and worker roles) on the test Redis under a key prefix of its own, with
 * the demo data seeded.
 */
describe('npm run try: scripted sessions', () => {
  let redis: TestRedis;
  let session: TrySession;
  const screen: string[] = [];

  beforeAll(async () => {
    redis = await testRedis();
    session = await startTrySession({
      redisUrl: redis.url,
      demo: true,
      keyPrefix: redis.prefix,
      write: (text) => screen.push(text),
      log: () => undefined,
    });
  }, 60_000);
  afterAll(async () => {
    await session?.stop();
    await deleteByPattern(redis.redis, `${redis.prefix}-q:*`);
    await redis?.cleanup();
  });

  // A test that fails half-way through a modal must not leave it open for the next one.
  afterEach(async () => {
    if (session.shell.inModal) await session.shell.handle(':cancel');
  });

  /** Types a line; resolves with what the screen shows from then on once it matches `shows`. */
  async function type(line: string, shows?: RegExp): Promise<string> {
    const mark = session.shell.screen.length;
    await session.shell.handle(line);
    if (!shows) return session.shell.screen.slice(mark).join('\n');
    return session.shell.waitFor(shows, mark);
  }

  /** The number the screen gives a button, from the latest time it was shown. */
  function button(text: string, label: string): number {
    const found = [...text.matchAll(new RegExp(`\\[(\\d+)\\] ${label}\\b`, 'g'))].at(-1);
    if (!found?.[1]) throw new Error(`no button "${label}" on screen:\n${text}`);
    return Number(found[1]);
  }

  function demo(name: RegExp): string {
    const found = session.demo.find((d) => name.test(d.name));
    if (!found) throw new Error(`no demo instance ${name}`);
    return found.id;
  }

  it('shows help and who is who', async () => {
    expect(await type('help')).toContain('advance <time>');
    const who = await type('who');
    expect(who).toContain(`* ${DEMO_PEOPLE.requester}`);
    expect(who).toContain(DEMO_PEOPLE.approver);
  });

  it("a select in a modal's section is pressed with ':press', then an option", async () => {
    await type(`as ${DEMO_PEOPLE.requester}`);
    const form = await type(`/cert combine ${demo(/^cas-merge-/)}`, /Instances to combine/);
    const select = /\[(\d+)\] cas-merge-[^\n]*▾/.exec(form)?.[1];
    expect(select).toBeDefined();
    const options = await type(`:press ${select}`, /choose|number/);
    expect(options).toMatch(/\d\) OV multi-domain A/);
    const option = /(\d+)\) OV multi-domain A\b/.exec(options)?.[1];
    // The bot rebuilds the modal around the chosen instance; the field is asked again.
    const rebuilt = await type(`${option}`, /Instances to combine/);
    expect(rebuilt).toMatch(/\*OV multi-domain A\* \(`/);
    await type(':cancel', /modal closed/);
  });

  it('combine with a refusal: the reason shown, the refusal, then the request', async () => {
    await type(`as ${DEMO_PEOPLE.requester}`);
    // The instance that cannot be combined is refused, with the reason.
    const twoYear = await type(`/cert combine ${demo(/2-year$/)}`, /only UALICE sees this/);
    expect(twoYear).toMatch(/valid for 2 years: only 1-year/);
    expect(session.shell.inModal).toBe(false);

    const form = await type(`/cert combine ${demo(/^OV multi-domain A$/)}`, /Instances to combine/);
    // The dialog lists what cannot be combined with it, and why.
    expect(form).toMatch(/Cannot be combined[\s\S]*OV multi-domain, 2-year[^\n]*valid for 2 years/);
    const option = /(\d+)\) OV multi-domain B/.exec(form)?.[1];
    expect(option).toBeDefined();
    const refunds = await type(`${option}`, /Refunds/);
    expect(refunds).toMatch(/Domain quota after combining: 4/);
    // "No refund" must be acknowledged: the field is asked again until it is.
    expect(await type('', /! required/)).not.toContain('(submitted; modal closed)');
    const sent = await type('y', /#approvals[\s\S]*\[\d+\] Reject/);
    expect(sent).toContain('(submitted; modal closed)');
    expect(sent).toMatch(/Approval needed[\s\S]*OV multi-domain B/);
  });

  it('opens the App Home as the person sees it', async () => {
    await type(`as ${DEMO_PEOPLE.approver}`);
    const home = await type('home', /┌─ App Home of UAPPROVER/);
    expect(home).toMatch(/App Home of UAPPROVER[\s\S]*shop\.example\.com/);
  });

  it('answers each person in their Slack language', async () => {
    await type(`as ${DEMO_PEOPLE.chineseTeammate}`);
    const list = await type('/cert list', /only UZHANG sees this/);
    expect(list).toContain('我的证书');
    await type(`as ${DEMO_PEOPLE.requester}`);
    expect(await type('/cert list', /only UALICE sees this/)).toContain('Your certificates');
  });

  it('apply -> approve: the modal as a form, the approval request, the decision', async () => {
    await type(`as ${DEMO_PEOPLE.requester}`);
    const merged = demo(/^cas-merge-/);
    const form = await type(`/cert apply ${merged}`, /Enter keeps: cas-merge-/);
    expect(form).toContain('┌─ modal for UALICE');
    expect(form).toContain('Apply for a certificate');
    await type('', /several lines/);
    await type('a1.example.com');
    await type('a2.example.com');
    const method = await type('.', /Validation method\n/);
    expect(method).toContain('You can enter 2 more domain(s).');
    await type('', /Contact\n/);
    await type('1', /New contact: name/);
    await type('', /New contact: email/);
    await type('', /New contact: phone/);
    await type('', /Managed renewal/);
    const sent = await type('', /#approvals[\s\S]*\[\d+\] Reject/);
    expect(sent).toContain('(submitted; modal closed)');
    expect(sent).toMatch(/only UALICE sees this\n.*sent for approval/);
    expect(sent).toMatch(/Approval needed[\s\S]*a1\.example\.com, a2\.example\.com/);

    // The requester cannot approve their own request.
    const own = await type(`${button(sent, 'Approve')}`, /only UALICE sees this|cannot|own/i);
    expect(own).not.toContain('Approved* by');
    await type(`as ${DEMO_PEOPLE.approver}`);
    const approved = await type(`${button(sent, 'Approve')}`, /#support[\s\S]*\[\d+\] Issued/);
    // Support records the CA's answer with a demo certificate the shell pastes.
    await type(`as ${DEMO_PEOPLE.admin}`);
    await type(`${button(approved, 'Issued')}`, /Certificate \(leaf\)\n[\s\S]*:demo-cert/);
    const pasted = await type(':demo-cert a1.example.com a2.example.com', /Intermediate/);
    expect(pasted).toContain('a demo certificate for a1.example.com, a2.example.com');
    await type('', /More of the chain/);
    const issued = await type('', /DM to UALICE\n.*is issued for a1\.example\.com/);
    expect(issued).toContain('(submitted; modal closed)');
    expect(issued).toMatch(/Issued\*, recorded by @UADMIN/);
    expect(approved).toMatch(/#approvals, message updated[\s\S]*Approved\* by @UAPPROVER/);
    expect(approved).toMatch(/DM to UALICE\n.*was approved by @UAPPROVER/);
    // A second click changes nothing.
    const again = await type(`${button(sent, 'Approve')}`, /already|no longer/i);
    expect(again).not.toMatch(/DM to UALICE/);
  });

  it('renew: a manual renewal purchase for a certificate expiring in 20 days', async () => {
    await type(`as ${DEMO_PEOPLE.teammate}`);
    const form = await type(`/cert renew ${demo(/^mail/)}`, /Contact \(optional\)\n/);
    expect(form).toContain('Renew certificate');
    expect(form).toMatch(/renewal purchase\* \(续费购买\)/);
    await type('', /New contact: name/);
    await type('', /New contact: email/);
    await type('', /New contact: phone/);
    const sent = await type('', /#approvals[\s\S]*\[\d+\] Reject/);
    expect(sent).toContain('(submitted; modal closed)');
    await type(`as ${DEMO_PEOPLE.secondApprover}`);
    const approved = await type(`${button(sent, 'Approve')}`, /DM to UBOB/);
    expect(approved).toMatch(/Approved\* by @UCAROL/);
  });

  it('upload: a pasted private key is refused next to the field, a certificate is tracked', async () => {
    await type(`as ${DEMO_PEOPLE.requester}`);
    await type('/cert upload', /Certificate \(PEM\) and chain\n[\s\S]*several lines/);
    const pasteAndFinish = async (lines: readonly string[]) => {
      for (const line of lines) await type(line);
      await type('.', /Chain, continued \(optional\)\n/);
      await type('', /Chain, continued further/);
      await type('', /Validation type/);
      await type('', /Grade/);
      await type('', /Name/);
    };
    await pasteAndFinish([
      '-----BEGIN PRIVATE KEY-----',
      'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg',
      '-----END PRIVATE KEY-----',
    ]);
    const refused = await type('', /! Certificate \(PEM\) and chain: [^\n]*\n[\s\S]*several lines/);
    expect(refused).toMatch(/private key/i);
    expect(refused).not.toContain('MIGHAgEAMBMGByqGSM49');
    const ca = await createDemoCa(
      new Date(Date.now() - 86_400_000),
      new Date(Date.now() + 400 * 86_400_000),
    );
    const pem = await ca.issue({
      names: ['status.example.com'],
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: new Date(Date.now() + 200 * 86_400_000),
      validationType: 'OV',
    });
    for (const line of pem.trim().split('\n')) await type(line);
    const tracked = await type('.', /Now tracking/);
    expect(tracked).toMatch(/Now tracking \*status\.example\.com\*/);
  });

  it('advance: the review reminder, a managed renewal and an escalation fire on the moved clock', async () => {
    await type(`as ${DEMO_PEOPLE.requester}`);
    const realBefore = Date.now();
    const botBefore = session.certops.useCases.clock.now().getTime();
    const api = session.demo.find((d) => d.name === 'api.example.com');
    const days = /advance (\d+)d/.exec(api?.note ?? '')?.[1];
    expect(days).toBeDefined();
    const mark = session.shell.screen.length;
    const fired = await type(`advance ${days}d`, /DM to UALICE\n[\s\S]*still under review/);
    expect(fired).toContain(`the bot's clock is now`);
    // The same wake-up runs the expiry check: www (hosted) renews itself, legacy is escalated.
    const inOneMessage = (heading: string, text: string) =>
      new RegExp(`${heading}\\n(?:  [^\\n]*\\n)*?  [^\\n]*${text}`);
    await session.shell.waitFor(inOneMessage('DM to UALICE', 'Managed renewal started'), mark);
    await session.shell.waitFor(inOneMessage('#support', 'legacy\\.example\\.com'), mark);
    // Only the bot's clock moved.
    const moved = session.certops.useCases.clock.now().getTime() - botBefore;
    expect(moved).toBeGreaterThanOrEqual(Number(days) * 86_400_000);
    expect(Date.now() - realBefore).toBeLessThan(60_000);
  });
});

describe('npm run try: a long advance', () => {
  it('runs the daily jobs each day, so the hosted certificate renews inside its window', async () => {
    const redis = await testRedis();
    const session = await startTrySession({
      redisUrl: redis.url,
      demo: true,
      keyPrefix: redis.prefix,
      write: () => undefined,
      log: () => undefined,
    });
    try {
      const mark = session.shell.screen.length;
      await session.shell.handle('advance 25d');
      const moved = await session.shell.waitFor(/the bot's clock is now/, mark);
      expect(moved).toContain('25 days forward, a day at a time');
      // Each day's check ran: mail (not hosted) climbed the reminder ladder (a single jump of
      // 25 days would only have found it expired), and www's renewal started on the first day,
      // long before www expired (its renewal, at the manual CA, was never recorded issued).
      // DMs go out through their own queue, in parallel: each is waited for, not assumed.
      const shows = (pattern: RegExp) => session.shell.waitFor(pattern, mark);
      await shows(/Certificate expired ==\n {2}\*mail\.example\.com/);
      for (const left of [14, 7, 3]) {
        await shows(
          new RegExp(`DM to UBOB\\n  == Certificate expiring in ${left} days ==\\n  \\*mail`),
        );
      }
      const screen = await shows(/Certificate expired ==\n {2}\*www\.example\.com/);
      const started = screen.indexOf('Managed renewal started');
      const wwwExpired = screen.search(/Certificate expired ==\n {2}\*www\.example\.com/);
      expect(started).toBeGreaterThan(-1);
      expect(wwwExpired).toBeGreaterThan(started);
    } finally {
      await session.stop();
      await deleteByPattern(redis.redis, `${redis.prefix}-q:*`);
      await redis.cleanup();
    }
  }, 60_000);
});
