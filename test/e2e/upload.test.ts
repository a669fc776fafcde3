import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { expiryView } from '../../src/domain/renewal.js';
import type { Refusal } from '../../src/domain/result.js';
import { escapeMrkdwn } from '../../src/slack/blocks.js';
import { UPLOAD } from '../../src/slack/features/upload/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { domainsText, formatDate, refusalText } from '../../src/slack/views/format.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { type OpenedView, SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-06-04T10:00:00+08:00');

const ALICE = 'UALICE'; // team default
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese

const x509 = (name: string) =>
  readFileSync(new URL(`../fixtures/x509/${name}`, import.meta.url), 'utf8');

const [PEM1, PEM2, PEM3] = UPLOAD.pem;

describe('/cert upload: tracking an existing certificate (上传证书)', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  const clock = fixedClock(NOW);

  beforeAll(async () => {
    bot = await startBot({ clock });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function open(user: string, channelId = 'CCERTS'): Promise<OpenedView> {
    const { status, since } = await driver.command(user, 'upload', { channelId });
    expect(status).toBe(200);
    return driver.view(since, 'views.open');
  }

  /** What the person reads after a successful upload, built the way they read it. */
  async function doneText(t: typeof en, id: string, warnings: readonly Refusal[] = []) {
    const cert = await bot.certops.store.certificates.get(id);
    if (!cert?.notAfter) throw new Error(`no certificate ${id}`);
    const expiry = expiryView(cert.notAfter, clock.now(), TZ);
    return [
      t('upload.done', {
        name: escapeMrkdwn(cert.name),
        id,
        type: cert.spec.validationType,
        domains: domainsText(t, cert.domains, 10),
        date: formatDate(cert.notAfter, TZ),
        daysLeft: expiry.daysLeft,
      }),
      ...(expiry.status === 'expiring' ? [t('upload.done_expiring', { id })] : []),
      ...(warnings.length > 0
        ? [t('upload.warnings'), ...warnings.map((w) => `• ${refusalText(t, w, { timeZone: TZ })}`)]
        : []),
    ].join('\n');
  }

  const idIn = async (text: unknown) => {
    const ids = await bot.certops.store.certificates.ids({ offset: 0, limit: 100 });
    const found = ids.find((id) => String(text).includes(`\`${id}\``));
    if (!found) throw new Error(`no certificate id in ${String(text)}`);
    return found;
  };

  async function expectInline(
    user: string,
    inputs: Record<string, string | undefined>,
    errors: Record<string, string>,
  ): Promise<void> {
    const view = await open(user);
    const before = await bot.certops.store.certificates.count();
    // Notifications of earlier changes (queued, due 250 ms later) must not count as this one's.
    await bot.certops.settle();
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, user, inputs);
    expect(ack).toEqual({ status: 200, body: { response_action: 'errors', errors } });
    expect(await bot.certops.store.certificates.count()).toBe(before);
    expect(bot.slack.calls.slice(since).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  }

  it('opens a modal with three PEM boxes (Slack caps each at 3000), type, grade and name', async () => {
    const view = await open(ALICE);
    expect(view.view.callback_id).toBe(UPLOAD.callback);
    expect((view.view.title as Json).text).toBe(en('upload.modal.title'));
    const blocks = view.view.blocks as Json[];
    const inputs = blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual([
      PEM1,
      PEM2,
      PEM3,
      UPLOAD.validationType,
      UPLOAD.grade,
      UPLOAD.name,
    ]);
    for (const block of inputs.slice(0, 3)) {
      expect((block.element as Json).max_length).toBe(3000);
      expect((block.element as Json).multiline).toBe(true);
    }
    expect(inputs.map((b) => b.optional)).toEqual([false, true, true, true, true, true]);
    const select = inputs[3]?.element as Json;
    expect((select.options as Json[]).map((o) => o.value)).toEqual(['DV', 'OV', 'EV']);
    expect(JSON.stringify(blocks)).toContain(en('upload.modal.intro'));
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ ch: 'CCERTS' });
  });

  it('tracks a certificate whose chain spans the three boxes, and tells id, names and expiry', async () => {
    const view = await open(ALICE);
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, ALICE, {
      [PEM1]: x509('leaf-ov.pem'),
      [PEM2]: x509('brand-intermediate-ca.pem'),
      [PEM3]: x509('root-ca.pem'),
      [UPLOAD.grade]: 'pro',
      [UPLOAD.name]: 'Shop <!channel> OV',
    });
    expect(ack).toEqual({ status: 200, body: undefined });
    const told = await driver.ephemeral(since, ALICE, 'CCERTS');
    expect(told.method).toBe('chat.postEphemeral');
    expect(told.params.channel).toBe('CCERTS');
    const id = await idIn(told.params.text);
    const cert = await bot.certops.store.certificates.get(id);
    expect(cert).toMatchObject({
      name: 'Shop <!channel> OV',
      state: 'uploaded',
      source: 'uploaded',
      team: 'default',
      ownerUserId: ALICE,
      domains: ['a.example.com', 'b.example.org'],
      spec: { validationType: 'OV', grade: 'pro' },
    });
    expect(told.params.text).toBe(await doneText(en, id));
    expect(String(told.params.text)).toContain('Shop &lt;!channel&gt; OV');
    expect(String(told.params.text)).toContain('2125-01-01');
  });

  it('lists the warnings of an accepted upload (a leaf without its chain)', async () => {
    const view = await open(ALICE);
    const since = bot.slack.calls.length;
    await driver.submit(view, ALICE, { [PEM1]: x509('leaf-dv.pem') });
    const told = await driver.ephemeral(since, ALICE, 'CCERTS');
    const id = await idIn(told.params.text);
    expect(told.params.text).toBe(await doneText(en, id, [{ code: 'pem.chain_incomplete' }]));
    expect(String(told.params.text)).toContain(en('upload.warnings'));
  });

  it('asks for the validation type on its select when the certificate does not say', async () => {
    await expectInline(
      ALICE,
      { [PEM1]: x509('leaf-wildcard.pem') },
      { [UPLOAD.validationType]: en('upload.error.validation_type') },
    );
    const view = await open(ALICE);
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, ALICE, {
      [PEM1]: x509('leaf-wildcard.pem'),
      [PEM2]: x509('intermediate-ca.pem'),
      [UPLOAD.validationType]: 'DV',
    });
    expect(ack.body).toBeUndefined();
    const told = await driver.ephemeral(since, ALICE, 'CCERTS');
    const cert = await bot.certops.store.certificates.get(await idIn(told.params.text));
    expect(cert?.spec.validationType).toBe('DV');
    expect(cert?.domains).toEqual(['*.example.com', 'example.com']);
  });

  it('refuses a pasted private key on the PEM box, storing and logging nothing of it', async () => {
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    await expectInline(
      ALICE,
      { [PEM1]: x509('leaf-ev.pem'), [PEM2]: privateKey },
      { [PEM1]: en('upload.error.private_key') },
    );
    const body = privateKey.split('\n')[1] ?? privateKey;
    expect(bot.logs.join('\n')).not.toContain(body);
    // The certificate beside the key was not kept either.
    const ids = await bot.certops.store.certificates.ids({ offset: 0, limit: 100 });
    const certs = await bot.certops.store.certificates.getMany(ids);
    expect(certs.some((c) => c.spec.validationType === 'EV')).toBe(false);
  });

  it('explains every other PEM refusal on the PEM box', async () => {
    const pem = (refusal: Refusal) =>
      en('upload.error.pem', { reason: refusalText(en, refusal, { timeZone: TZ, escape: false }) });
    await expectInline(
      ALICE,
      { [PEM1]: x509('leaf-expired.pem') },
      { [PEM1]: pem({ code: 'pem.expired', params: { notAfter: '2021-01-01T00:00:00.000Z' } }) },
    );
    await expectInline(
      ALICE,
      { [PEM1]: x509('request.csr.pem') },
      { [PEM1]: pem({ code: 'pem.csr_not_certificate' }) },
    );
    await expectInline(
      ALICE,
      { [PEM1]: 'hello, this is not a certificate' },
      { [PEM1]: pem({ code: 'pem.no_certificate' }) },
    );
    await expectInline(ALICE, { [PEM1]: '  ' }, { [PEM1]: en('upload.error.empty') });
  });

  it('says which id already tracks a certificate uploaded twice', async () => {
    const first = await open(ALICE);
    const since = bot.slack.calls.length;
    await driver.submit(first, ALICE, {
      [PEM1]: x509('leaf-cn-only.pem'),
      [UPLOAD.validationType]: 'OV',
    });
    const id = await idIn((await driver.ephemeral(since, ALICE, 'CCERTS')).params.text);
    await expectInline(
      ALICE,
      { [PEM1]: x509('leaf-cn-only.pem'), [UPLOAD.validationType]: 'OV' },
      { [PEM1]: en('upload.error.already_tracked', { id }) },
    );
  });

  it('points to /cert renew when the uploaded certificate expires within 30 days', async () => {
    clock.set(new Date('2124-12-15T10:00:00+08:00'));
    try {
      const view = await open(ALICE);
      const since = bot.slack.calls.length;
      await driver.submit(view, ALICE, {
        [PEM1]: x509('leaf-iv.pem'),
        [UPLOAD.validationType]: 'OV',
      });
      const told = await driver.ephemeral(since, ALICE, 'CCERTS');
      const id = await idIn(told.params.text);
      expect(String(told.params.text)).toContain(en('upload.done_expiring', { id }));
      expect(told.params.text).toBe(await doneText(en, id, [{ code: 'pem.chain_incomplete' }]));
    } finally {
      clock.set(NOW);
    }
  });

  it('answers by DM when the ephemeral reply cannot be posted in the channel', async () => {
    const view = await open(ALICE, 'CNOTIN');
    bot.slack.failNext('chat.postEphemeral', {
      status: 200,
      body: { ok: false, error: 'channel_not_found' },
    });
    const since = bot.slack.calls.length;
    await driver.submit(view, ALICE, {
      [PEM1]: x509('leaf-two-cns.pem'),
      [UPLOAD.validationType]: 'OV',
    });
    const told = await driver.dm(since, ALICE, (text) => text.startsWith('Now tracking '));
    expect(told.method).toBe('chat.postMessage');
    expect(told.params.channel).toBe(ALICE);
    const id = await idIn(told.params.text);
    expect(told.params.text).toBe(await doneText(en, id, [{ code: 'pem.chain_incomplete' }]));
  });

  it('speaks Chinese to a zh-CN user', async () => {
    const view = await open(ZHANG);
    expect((view.view.title as Json).text).toBe(zh('upload.modal.title'));
    const { privateKey } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const refused = await driver.submit(view, ZHANG, { [PEM1]: privateKey });
    expect(refused.body).toEqual({
      response_action: 'errors',
      errors: { [PEM1]: zh('upload.error.private_key') },
    });
    expect(zh('upload.error.private_key')).toContain('切勿粘贴私钥');
    const since = bot.slack.calls.length;
    await driver.submit(view, ZHANG, {
      [PEM1]: x509('leaf-ed25519.pem'),
      [UPLOAD.validationType]: 'DV',
    });
    const told = await driver.ephemeral(since, ZHANG, 'CCERTS');
    const id = await idIn(told.params.text);
    expect(told.params.text).toBe(await doneText(zh, id, [{ code: 'pem.chain_incomplete' }]));
    expect(String(told.params.text)).toContain('已开始跟踪');
  });
});
