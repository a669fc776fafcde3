import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageFits } from '../../src/slack/blocks.js';
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import { CA_IDS, challengeMessages } from '../../src/slack/features/ca/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { formatDate } from '../../src/slack/views/format.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import type {
  DomainChallenge,
  DrainableEventSink as SlackNotifier,
} from '../../src/usecases/ports/index.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { APPROVAL_CHANNEL, type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { type PebbleServers, startPebble } from '../support/pebble.js';
import { storedText } from '../support/redis-snapshot.js';
import { SlackDriver } from '../support/slack-driver.js';

/**
 * ACME DNS-01 as chat-ops, end to end: the bot configured from the environment with Let's
 * Encrypt routed to pebble, a real approval click, the DM with the TXT records and Verify, a
 * Verify before and after the records are in DNS (challtestsrv), and the certificate issued.
 */

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';
const ALICE = 'UALICE';
const BOB = 'UBOB'; // same team, not the requester, not an approver
const ZHANG = 'UZHANG'; // Slack in Simplified Chinese
const APPROVER1 = 'UAPPROVER1';
const APPROVER2 = 'UAPPROVER2';

let pebble: PebbleServers;
let bot: BotUnderTest;
let driver: SlackDriver;
let keyDir: string;
let contacts = 0;

function next(since: number, match: (c: RecordedCall) => boolean): Promise<RecordedCall> {
  return bot.slack.waitFor((c) => bot.slack.calls.indexOf(c) >= since && match(c));
}

/** The `nth` ephemeral answer to this click (its own response_url), waited for. */
async function answer(click: { responseUrl: string }, nth: number): Promise<string> {
  return String((await driver.nthAnswer(click.responseUrl, nth)).params.text ?? '');
}

const hasVerify = (c: RecordedCall) =>
  JSON.stringify(c.params.blocks ?? []).includes(CA_IDS.verify);

/** Buys a Let's Encrypt instance, applies as `requester`, approves it in the approvals channel. */
async function appliedAndApproved(requester: string, domains: readonly string[]) {
  const ctx = bot.certops.useCases;
  const bought = await recordPurchases(ctx, APPROVER1, [
    {
      kind: 'instances',
      brand: "Let's Encrypt",
      validationType: 'DV',
      domainType: 'multi',
      grade: 'standard',
      validityYears: 1,
      domainQuota: domains.length,
      quantity: 1,
      team: 'default',
      name: `le-${requester.toLowerCase()}`,
    },
  ]);
  if (!bought.ok) throw new Error(JSON.stringify(bought.refusal));
  const certificateId = bought.value.certificateIds[0] ?? '';
  const n = ++contacts;
  const applied = await applyForCertificate(ctx, {
    certificateId,
    requesterId: requester,
    domains,
    validationMethod: 'dns',
    contact: {
      kind: 'new',
      fields: {
        name: `Li Lei ${n}`,
        email: `li${n}@acme-e2e.example`,
        phone: `+86138000000${String(n).padStart(2, '0')}`,
      },
    },
    hosting: false,
  });
  if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
  const applicationId = applied.value.application.id;
  const request = await next(
    0,
    (c) =>
      c.method === 'chat.postMessage' &&
      c.params.channel === APPROVAL_CHANNEL &&
      JSON.stringify(c.params.blocks ?? []).includes(applicationId),
  );
  const since = bot.slack.calls.length;
  await driver.click(request, APPROVALS_IDS.approve, APPROVER2);
  const dm = await next(
    since,
    (c) => c.method === 'chat.postMessage' && c.params.channel === requester && hasVerify(c),
  );
  return { certificateId, applicationId, dm };
}

/** The records a DM asks for, read back from what the person sees (name and value code blocks). */
function recordsIn(dm: RecordedCall): { name: string; value: string }[] {
  const texts = ((dm.params.blocks as { type: string; text?: { text: string } }[]) ?? [])
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '');
  return texts.flatMap((text) => {
    const code = [...text.matchAll(/```([^`]+)```/g)].map((m) => m[1] ?? '');
    return code.length === 2 ? [{ name: code[0] ?? '', value: code[1] ?? '' }] : [];
  });
}

describe('ACME DNS-01 in Slack', () => {
  beforeAll(async () => {
    pebble = await startPebble();
    keyDir = join(await mkdtemp(join(tmpdir(), 'certops-acme-e2e-')), 'keys');
    bot = await startBot({
      env: {
        CERTOPS_CA_ROUTES: "Let's Encrypt=acme; *=manual",
        CERTOPS_ACME_DIRECTORY_URL: pebble.directoryUrl,
        CERTOPS_ACME_EMAIL: 'certops@acme-e2e.example',
        CERTOPS_ACME_KEY_DIR: keyDir,
        CERTOPS_ACME_CA_FILE: pebble.caFile,
        CERTOPS_ACME_DNS_SERVERS: pebble.dnsServer,
        CERTOPS_TIMEZONE: TZ,
      },
    });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
  });

  afterAll(async () => {
    await bot?.stop();
    await pebble?.stop();
    if (keyDir) await rm(join(keyDir, '..'), { recursive: true, force: true });
  });

  it('approve → DM with the TXT records and Verify → Verify → issued, and the requester is told', async () => {
    const domains = ['shop.acme-e2e.example', 'www.shop.acme-e2e.example'];
    const { certificateId, applicationId, dm } = await appliedAndApproved(ALICE, domains);
    const ctx = bot.certops.useCases;

    // The DM: what to create, in the requester's language, and Verify carrying the application.
    const records = recordsIn(dm);
    expect(records.map((r) => r.name)).toEqual(domains.map((d) => `_acme-challenge.${d}`));
    for (const r of records) expect(r.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(dm.params.text).toBe(
      en('ca.challenges.fallback', { count: 2, name: 'le-ualice', id: certificateId }),
    );
    const text = SlackDriver.text(dm);
    expect(text).toContain(
      JSON.stringify(
        en('ca.challenges.intro', { app: applicationId, name: 'le-ualice', id: certificateId }),
      ).slice(1, -1),
    );
    expect((dm.params.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    const button = JSON.stringify(dm.params.blocks);
    expect(button).toContain(JSON.stringify(JSON.stringify({ a: applicationId })).slice(1, -1));
    expect((await ctx.store.certificates.get(certificateId))?.state).toBe('under_review');

    // Verify before the records exist: still waiting, naming both; the order stays open.
    let since = bot.slack.calls.length;
    const click1 = await driver.click(dm, CA_IDS.verify, ALICE);
    expect(await answer(click1, 1)).toBe(en('ca.verify.checking', { id: certificateId }));
    const waiting = await answer(click1, 2);
    expect(waiting).toBe(
      en('ca.verify.waiting_records', {
        id: certificateId,
        detail: `TXT records not found in DNS yet: ${records.map((r) => r.name).join(', ')}`,
      }),
    );
    expect((await ctx.store.applications.get(applicationId))?.status).toBe('submitted');

    // Someone else of the team may not verify it; nothing changes.
    for (const r of records) await pebble.setTxt(r.name, r.value);
    since = bot.slack.calls.length;
    const click2 = await driver.click(dm, CA_IDS.verify, BOB);
    expect(await answer(click2, 1)).toBe(en('ca.verify.not_allowed', { requester: `<@${ALICE}>` }));
    expect((await ctx.store.applications.get(applicationId))?.status).toBe('submitted');

    // The requester verifies with the records in place: issued.
    since = bot.slack.calls.length;
    const click3 = await driver.click(dm, CA_IDS.verify, ALICE);
    const issuedText = await answer(click3, 2);
    const cert = await ctx.store.certificates.get(certificateId);
    expect(cert).toMatchObject({ state: 'issued', domains });
    expect(cert?.notAfter).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    expect(issuedText).toBe(
      en('ca.verify.issued', {
        name: 'le-ualice',
        id: certificateId,
        notAfter: formatDate(cert?.notAfter ?? 0, TZ),
      }),
    );
    expect((await ctx.store.applications.get(applicationId))?.status).toBe('issued');
    // The usual "issued" DM goes out too.
    await next(
      since,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === ALICE &&
        String(c.params.text).includes(certificateId) &&
        !hasVerify(c),
    );

    // A second click on the same button: nothing left to verify, said plainly.
    since = bot.slack.calls.length;
    const click4 = await driver.click(dm, CA_IDS.verify, ALICE);
    expect(await answer(click4, 2)).toContain(applicationId);
    expect((await ctx.store.certificates.get(certificateId))?.notAfter).toBe(cert?.notAfter);

    // The private key is in the key folder only (0600): not in Redis, not in the logs.
    const keyPem = await readFile(join(keyDir, `${certificateId}.key.pem`), 'utf8');
    expect((await stat(join(keyDir, `${certificateId}.key.pem`))).mode & 0o777).toBe(0o600);
    const keyBody = keyPem.split('\n')[3] ?? 'missing';
    const stored = await storedText(bot.redis.redis, `${bot.redis.prefix}*`);
    expect(stored).toContain(certificateId);
    expect(stored).not.toContain(keyBody);
    expect(stored).not.toContain('PRIVATE KEY');
    expect(bot.logs.join('\n')).not.toMatch(/PRIVATE KEY|private key redacted/);
    expect(JSON.stringify(bot.slack.calls)).not.toContain(keyBody);
    expect((await readdir(keyDir)).sort()).toEqual(['account.key.pem', `${certificateId}.key.pem`]);
  });

  it('speaks the requester’s language, and an approver may verify for them', async () => {
    const domains = ['zh.acme-e2e.example'];
    const { certificateId, applicationId, dm } = await appliedAndApproved(ZHANG, domains);
    const records: DomainChallenge[] = recordsIn(dm).map((r) => ({
      ...r,
      domain: domains[0] ?? '',
      type: 'dns-txt',
    }));
    expect(dm.params.text).toBe(
      zh('ca.challenges.fallback', { count: 1, name: 'le-uzhang', id: certificateId }),
    );
    expect(SlackDriver.text(dm)).toContain(zh('ca.challenges.verify'));
    expect(SlackDriver.text(dm)).toContain(
      JSON.stringify(
        zh('ca.challenges.intro', { app: applicationId, name: 'le-uzhang', id: certificateId }),
      ).slice(1, -1),
    );

    for (const r of records) await pebble.setTxt(r.name, r.value);
    const click5 = await driver.click(dm, CA_IDS.verify, APPROVER1);
    const done = await answer(click5, 2);
    const cert = await bot.certops.useCases.store.certificates.get(certificateId);
    expect(cert?.state).toBe('issued');
    // The approver clicked, so the approver's language (English) answers them.
    expect(done).toBe(
      en('ca.verify.issued', {
        name: 'le-uzhang',
        id: certificateId,
        notAfter: formatDate(cert?.notAfter ?? 0, TZ),
      }),
    );
  });

  it('a tampered Verify button changes nothing', async () => {
    const fake = {
      method: 'chat.postMessage',
      params: {
        channel: ALICE,
        blocks: [
          {
            type: 'actions',
            block_id: CA_IDS.actions,
            elements: [
              {
                type: 'button',
                action_id: CA_IDS.verify,
                text: { type: 'plain_text', text: 'Verify' },
                value: '{"a":',
              },
            ],
          },
        ],
      },
      token: undefined,
      at: Date.now(),
      response: { ts: '1700000000.000100', channel: ALICE },
    } satisfies RecordedCall;
    const click6 = await driver.click(fake, CA_IDS.verify, ALICE);
    expect(await answer(click6, 1)).toBe(en('ca.verify.invalid_button'));
    await (bot.certops.useCases.events as SlackNotifier).drain();
    expect(driver.answersTo(click6.responseUrl)).toHaveLength(1);
  });
});

describe('the records DM within Slack limits', () => {
  it('splits a long list over messages of at most 50 blocks, every record kept, Verify last', () => {
    const count = 240;
    const challenges: DomainChallenge[] = Array.from({ length: count }, (_, i) => ({
      domain: `host-${i}.a-rather-long-subdomain-name-for-limits.acme-e2e.example`,
      type: 'dns-txt',
      name: `_acme-challenge.host-${i}.a-rather-long-subdomain-name-for-limits.acme-e2e.example`,
      value: `${'v'.repeat(40)}${String(i).padStart(3, '0')}`,
    }));
    const messages = challengeMessages(en, {
      application: { id: 'a1', domains: challenges.map((c) => c.domain) } as never,
      certificate: { id: 'c1', name: 'big <one>' } as never,
      challenges,
      outcomes: 'interactive',
    });
    expect(messages.length).toBeGreaterThan(1);
    for (const [i, message] of messages.entries()) {
      expect(messageFits(message.blocks, message.text)).toBe(true);
      const json = JSON.stringify(message.blocks);
      expect(json.includes(CA_IDS.verify)).toBe(i === messages.length - 1);
      // mrkdwn escapes what people typed (the plain-text header shows it as is).
      const mrkdwn = message.blocks.filter((b) => b.type === 'section');
      expect(JSON.stringify(mrkdwn)).not.toContain('<one>');
    }
    const all = messages.map((m) => JSON.stringify(m.blocks)).join('');
    for (const c of challenges) expect(all).toContain(c.value);
    expect(messages[1]?.blocks[0]).toMatchObject({
      text: {
        text: en('ca.challenges.intro_more', {
          name: 'big &lt;one&gt;',
          id: 'c1',
          part: 2,
          parts: messages.length,
        }),
      },
    });
  });
});
