import { createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { APPLY_IDS } from '../../src/slack/features/apply/views.js';
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import { UPLOAD } from '../../src/slack/features/upload/views.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import {
  eventBody,
  interactivityBody,
  sign,
  slashCommandBody,
} from '../../tools/try/slack-requests.js';
import {
  APPROVAL_CHANNEL,
  type BotUnderTest,
  SIGNING_SECRET,
  startBot,
} from '../support/certops-under-test.js';
import { snapshot } from '../support/redis-snapshot.js';
import { type OpenedView, SlackDriver } from '../support/slack-driver.js';

/**
 * 200+ hostile or broken inputs over signed (or badly signed) HTTP. Each must be answered with a
 * 4xx or a 2xx plus a clear message, leave the store as it was (`snapshot` skips `<prefix>:kv:*`:
 * locale cache, seen event ids, delivered markers) and leave the process answering.
 */
const START = new Date('2126-06-04T10:00:00+08:00');
const ALICE = 'UALICE';
const APPROVER1 = 'UAPPROVER1';

const key = (type: 'rsa' | 'ec' | 'ed25519', format: 'pkcs8' | 'pkcs1' | 'sec1') => {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 1024 })
      : type === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  return pair.privateKey.export({ type: format as 'pkcs8', format: 'pem' }).toString();
};

const EVIL = [
  '<!channel>',
  '<!here> <!everyone>',
  '<@U123> <#C123|general>',
  '*bold* _it_ ~s~ `code` ```block```',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an injection string, literally
  '${process.exit()}',
  '{{constructor.constructor("return process")()}}',
  "'; DROP TABLE certs; --",
  'redis.call("FLUSHALL")',
  'x\r\nX-Injected: 1\r\n\r\nbody',
  'shop\u202Eexample.com',
  'sh\u200Bop.example.com',
  'ѕhop.example.com', // Cyrillic dze
  'shop.exаmple.com', // Cyrillic a
  'a\u0000b',
  'lone \uD800 surrogate',
  'lone \uDC00 low',
  '__proto__',
  'constructor',
  '../../../etc/passwd',
  '%00%0d%0a',
  'A'.repeat(10_000),
  '🔥'.repeat(2_000),
  '\u0000'.repeat(100),
  '-1',
  '1e309',
  'NaN',
  '[]',
  '{"__proto__":{"admin":true}}',
  '<script>alert(1)</script>',
  '\\',
];

const BAD_DOMAINS = [
  '',
  ' ',
  '.',
  '..example.com',
  'example..com',
  'localhost',
  'com',
  '127.0.0.1',
  '[::1]',
  '*.*.example.com',
  'foo.*.example.com',
  `${'a'.repeat(64)}.example.com`,
  `${'a.'.repeat(130)}com`,
  'xn--zz.example.com',
  'ex_ample.com',
  'example.123',
  'shop.example.com, shop.example.com',
  'a.example.com b.example.com c.example.com d.example.com',
  'http://shop.example.com/',
  'user@shop.example.com',
  'shop.example.com:443',
  '-shop.example.com',
  'shop-.example.com',
  'xn--.example.com',
  'ex%61mple.com',
];

describe('bad inputs', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let prefix = '';
  let certId = '';
  let requestMessage: RecordedCall;

  beforeAll(async () => {
    // Web role only: the clocks' jobs (review sweep, expiry check, CA poll) would change the
    // store on their own schedule, and this test checks that inputs change nothing.
    bot = await startBot({ clock: fixedClock(START), env: { CERTOPS_ROLE: 'web' } });
    driver = new SlackDriver(bot);
    prefix = bot.config.redis.keyPrefix;
    const ctx = bot.certops.useCases;
    const bought = await recordPurchases(ctx, APPROVER1, [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'OV',
        domainType: 'multi',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 2,
        quantity: 2,
        team: 'default',
        name: 'target',
      },
    ]);
    if (!bought.ok) throw new Error(JSON.stringify(bought.refusal));
    certId = bought.value.certificateIds[0] ?? '';
    const applied = await applyForCertificate(ctx, {
      certificateId: bought.value.certificateIds[1] ?? '',
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000001' },
      },
      hosting: false,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    const appId = applied.value.application.id;
    requestMessage = await bot.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === APPROVAL_CHANNEL &&
        JSON.stringify(c.params.blocks ?? []).includes(appId),
    );
    await bot.certops.settle();
  });

  afterAll(() => bot?.stop());

  const raw = (body: string, type: 'form' | 'json', headers: Record<string, string>) =>
    fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
        ...headers,
      },
      body,
      // Well-formed requests no listener takes are answered 404 by Bolt after 3 s: leave room
      // for a loaded machine.
      signal: AbortSignal.timeout(8000),
    }).then(async (r) => ({ status: r.status, text: await r.text() }));
  const signed = (body: string, type: 'form' | 'json') =>
    raw(body, type, sign(body, SIGNING_SECRET));
  const hmac = (secret: string, ts: number, body: string) =>
    `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

  /** A reply the bot sends after `since` that a person would read. */
  const clearReply = (since: number, timeoutMs = 3000) =>
    bot.slack.waitFor(
      (c) =>
        bot.slack.calls.indexOf(c) >= since &&
        (c.method.startsWith('response_url:') ||
          c.method === 'views.open' ||
          c.method === 'chat.postEphemeral' ||
          c.method === 'chat.postMessage'),
      timeoutMs,
    );

  type Outcome = { status: number; clear?: boolean };
  type Case = {
    name: string;
    expect: 'unauthorized' | 'rejected_or_clear';
    run: () => Promise<Outcome>;
    /** Answers on its own (no reply to wait for): run these concurrently. */
    parallel?: boolean;
  };

  function cases(): Case[] {
    const out: Case[] = [];
    const now = () => Math.floor(Date.now() / 1000);
    const body = () =>
      slashCommandBody({ text: 'list', userId: ALICE, responseUrl: bot.slack.responseUrl('sig') });

    // Forged, stale, missing signatures and timestamps: 401.
    const sigCases: Array<[string, () => Record<string, string>]> = [
      ['no headers', () => ({})],
      ['no signature', () => ({ 'x-slack-request-timestamp': String(now()) })],
      ['no timestamp', () => ({ 'x-slack-signature': hmac(SIGNING_SECRET, now(), body()) })],
      ['wrong secret', () => sig(hmac('not-the-secret', now(), body()), now())],
      ['stale (10 min)', () => sig(hmac(SIGNING_SECRET, now() - 600, body()), now() - 600)],
      ['future (10 min)', () => sig(hmac(SIGNING_SECRET, now() + 600, body()), now() + 600)],
      ['signature of another body', () => sig(hmac(SIGNING_SECRET, now(), `${body()}x`), now())],
      ['v1 scheme', () => sig(hmac(SIGNING_SECRET, now(), body()).replace('v0=', 'v1='), now())],
      ['empty signature', () => sig('', now())],
      ['non-numeric timestamp', () => sig(hmac(SIGNING_SECRET, now(), body()), Number.NaN)],
      ['signature truncated', () => sig(hmac(SIGNING_SECRET, now(), body()).slice(0, 20), now())],
      ['signature uppercased', () => sig(hmac(SIGNING_SECRET, now(), body()).toUpperCase(), now())],
    ];
    function sig(signature: string, ts: number) {
      return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(ts) };
    }
    for (const [name, headers] of sigCases) {
      out.push({
        name: `signature: ${name}`,
        expect: 'unauthorized',
        parallel: true,
        run: () => raw(body(), 'form', headers()),
      });
    }

    // Malformed payloads, signed.
    const broken = [
      'payload=',
      'payload={',
      'payload=%7B%22type%22%3A',
      'payload=42',
      'payload=%22str%22',
      'payload=[]',
      'payload=%7B%7D',
      'payload=%7B%22type%22%3A%22block_actions%22%7D',
      'payload=%7B%22type%22%3A%22nope%22%7D',
      'payload=%7B%22type%22%3A5%7D',
      'garbage',
      '',
      '%%%%',
      'payload=%ZZ',
    ];
    for (const b of broken)
      out.push({
        name: `form: ${b}`,
        expect: 'rejected_or_clear',
        parallel: true,
        run: () => signed(b, 'form'),
      });
    const brokenJson = [
      '{',
      '[]',
      '{"type":"event_callback"}',
      '{"type":"url_verification"}',
      '{"__proto__":{"x":1},"type":"event_callback","event":{"type":"app_home_opened"}}',
    ];
    for (const b of brokenJson)
      out.push({
        name: `json: ${b}`,
        expect: 'rejected_or_clear',
        parallel: true,
        run: () => signed(b, 'json'),
      });
    out.push({
      name: 'huge form body (12 MB)',
      expect: 'rejected_or_clear',
      parallel: true,
      run: () => signed(`payload=${'a'.repeat(12_000_000)}`, 'form'),
    });
    out.push({
      name: 'huge json body (12 MB)',
      expect: 'rejected_or_clear',
      parallel: true,
      run: () => signed(eventBody({ type: 'message', text: 'a'.repeat(12_000_000) }), 'json'),
    });

    // Interactions with wrong types, unknown ids, prototype keys.
    const interactionPayloads: Array<[string, Record<string, unknown>]> = [
      [
        'unknown action id',
        {
          type: 'block_actions',
          user: { id: ALICE },
          actions: [{ action_id: 'nope.nope', block_id: 'x', type: 'button', value: '1' }],
        },
      ],
      [
        'user id a number',
        {
          type: 'block_actions',
          user: { id: 7 },
          actions: [{ action_id: APPROVALS_IDS.approve, type: 'button', value: '1' }],
        },
      ],
      [
        'unknown callback id',
        {
          type: 'view_submission',
          user: { id: ALICE },
          view: {
            id: 'V1',
            callback_id: 'nope.submit',
            state: { values: {} },
            private_metadata: '',
          },
        },
      ],
      [
        'apply submit, no state',
        {
          type: 'view_submission',
          user: { id: ALICE },
          view: { id: 'V1', callback_id: APPLY_IDS.callback, private_metadata: '' },
        },
      ],
      [
        'apply submit, state wrong types',
        {
          type: 'view_submission',
          user: { id: ALICE },
          view: {
            id: 'V1',
            callback_id: APPLY_IDS.callback,
            state: {
              values: {
                [APPLY_IDS.domains]: {
                  [APPLY_IDS.domains]: { type: 'plain_text_input', value: 5 },
                },
              },
            },
            private_metadata: '{"c":[1]}',
          },
        },
      ],
      [
        'upload submit, __proto__ state',
        {
          type: 'view_submission',
          user: { id: ALICE },
          view: {
            id: 'V1',
            callback_id: UPLOAD.callback,
            state: JSON.parse(
              '{"values":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}',
            ),
            private_metadata: '__proto__',
          },
        },
      ],
      [
        'reject submit, bad metadata',
        {
          type: 'view_submission',
          user: { id: APPROVER1 },
          view: {
            id: 'V1',
            callback_id: APPROVALS_IDS.reject,
            state: { values: {} },
            private_metadata: '{"__proto__":{"a":1}}',
          },
        },
      ],
      [
        'issued submit, forged metadata',
        {
          type: 'view_submission',
          user: { id: APPROVER1 },
          view: {
            id: 'V1',
            callback_id: APPROVALS_IDS.issued,
            state: { values: {} },
            private_metadata: `{"a":"${certId}","c":"${certId}"}`,
          },
        },
      ],
      [
        'view_closed unknown',
        { type: 'view_closed', user: { id: ALICE }, view: { id: 'V1', callback_id: 'x' } },
      ],
      [
        'shortcut unknown',
        { type: 'shortcut', callback_id: 'nope', user: { id: ALICE }, trigger_id: 't' },
      ],
      [
        'message_action unknown',
        {
          type: 'message_action',
          callback_id: 'nope',
          user: { id: ALICE },
          channel: { id: 'C1' },
          message: {},
        },
      ],
    ];
    for (const [name, p] of interactionPayloads) {
      out.push({
        name: `interaction: ${name}`,
        expect: 'rejected_or_clear',
        parallel: true,
        run: () => signed(interactivityBody(p), 'form'),
      });
    }
    for (const e of [
      { type: 'app_home_opened', user: 7, tab: 'home' },
      { type: 'app_home_opened', user: 'U\u0000X', tab: 'home' },
      { type: 'app_home_opened', user: ALICE, tab: '__proto__' },
      { type: 'unknown_event' },
    ]) {
      out.push({
        name: `event: ${JSON.stringify(e).slice(0, 60)}`,
        expect: 'rejected_or_clear',
        parallel: true,
        run: () => signed(eventBody(e), 'json'),
      });
    }

    // Hostile slash command text: an ack and a clear reply (ephemeral or a modal), nothing stored.
    for (const sub of ['', 'list', 'status', 'contacts', 'renew', 'combine', 'zzz']) {
      for (const evil of EVIL) {
        const text = `${sub} ${evil}`.trim();
        out.push({
          name: `command: /cert ${text.slice(0, 50)}`,
          expect: 'rejected_or_clear',
          run: async () => {
            const since = bot.slack.calls.length;
            const { status } = await driver.command(ALICE, text);
            const clear = await clearReply(since).then(
              () => true,
              () => false,
            );
            return { status, clear };
          },
        });
      }
    }

    // Forged Approve / Reject button values from an approver.
    for (const evil of EVIL.slice(0, 15)) {
      for (const action of [APPROVALS_IDS.approve, APPROVALS_IDS.reject]) {
        out.push({
          name: `button ${action} value ${evil.slice(0, 30)}`,
          expect: 'rejected_or_clear',
          run: async () => {
            const forged = {
              ...requestMessage,
              params: {
                ...requestMessage.params,
                blocks: [
                  {
                    type: 'actions',
                    block_id: APPROVALS_IDS.requestActions,
                    elements: [{ type: 'button', action_id: action, value: evil }],
                  },
                ],
              },
            } as RecordedCall;
            const since = bot.slack.calls.length;
            const ack = await driver.click(forged, action, APPROVER1);
            const clear = await clearReply(since).then(
              () => true,
              () => false,
            );
            return { status: ack.status, clear };
          },
        });
      }
    }

    // Invalid domains (and hostile text) in the apply modal.
    let applyView: OpenedView | undefined;
    const openApply = async () => {
      if (applyView) return applyView;
      const { since } = await driver.command(ALICE, `apply ${certId}`);
      applyView = await driver.view(since);
      return applyView;
    };
    for (const d of [...BAD_DOMAINS, ...EVIL.slice(8, 16), 'x'.repeat(100_000)]) {
      out.push({
        name: `apply domains: ${d.slice(0, 40)}`,
        expect: 'rejected_or_clear',
        run: async () => {
          const view = await openApply();
          const ack = await driver.submit(view, ALICE, { [APPLY_IDS.domains]: d });
          return { status: ack.status, clear: ack.body?.response_action === 'errors' };
        },
      });
    }

    // Private keys and junk in the upload PEM boxes.
    let uploadView: OpenedView | undefined;
    const openUpload = async () => {
      if (uploadView) return uploadView;
      const { since } = await driver.command(ALICE, 'upload');
      uploadView = await driver.view(since);
      return uploadView;
    };
    const pems = [
      key('rsa', 'pkcs8'),
      key('rsa', 'pkcs1'),
      key('ec', 'pkcs8'),
      key('ec', 'sec1'),
      key('ed25519', 'pkcs8'),
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----',
      '-----BEGIN CERTIFICATE-----\nnot base64!!\n-----END CERTIFICATE-----',
      '-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----',
      'P'.repeat(100_000),
      ...EVIL.slice(0, 10),
    ];
    for (const [i, pem] of pems.entries()) {
      out.push({
        name: `upload pem #${i}: ${pem.slice(0, 30)}`,
        expect: 'rejected_or_clear',
        run: async () => {
          const view = await openUpload();
          const ack = await driver.submit(view, ALICE, {
            [UPLOAD.pem[0]]: pem,
            [UPLOAD.name]: EVIL[i % EVIL.length],
          });
          return { status: ack.status, clear: ack.body?.response_action === 'errors' };
        },
      });
    }
    return out;
  }

  it(
    'answers 200+ bad inputs with a 4xx or a clear message, changes nothing, stays up',
    async () => {
      const all = cases();
      expect(all.length).toBeGreaterThanOrEqual(200);
      const before = await snapshot(bot.redis.redis, prefix);
      const failures: string[] = [];
      const started = Date.now();
      const check = (c: Case, { status, clear }: Outcome) => {
        if (c.expect === 'unauthorized' && status !== 401) failures.push(`${c.name}: ${status}`);
        if (c.expect === 'rejected_or_clear') {
          const rejected = status >= 400 && status < 500;
          const ok = status >= 200 && status < 300 && clear !== false;
          if (!rejected && !ok) failures.push(`${c.name}: status ${status}, clear ${clear}`);
        }
      };
      await Promise.all(
        all
          .filter((c) => c.parallel)
          .map((c) =>
            c.run().then(
              (o) => check(c, o),
              (e: Error) => failures.push(`${c.name}: threw ${e.message.slice(0, 200)}`),
            ),
          ),
      );
      expect(await snapshot(bot.redis.redis, prefix)).toEqual(before);
      for (const c of all.filter((x) => !x.parallel)) {
        const t0 = Date.now();
        let outcome: Outcome;
        try {
          outcome = await c.run();
        } catch (error) {
          failures.push(`${c.name}: threw ${(error as Error).message.slice(0, 200)}`);
          continue;
        }
        check(c, outcome);
        if (process.env.FAULTS_PROFILE && Date.now() - t0 > 150)
          console.warn(`slow ${Date.now() - t0} ${c.name}`);
        const health = await fetch(`${bot.baseUrl}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (health !== 200) failures.push(`${c.name}: /healthz ${health}`);
        await bot.certops.settle();
        const now = await snapshot(bot.redis.redis, prefix);
        if (JSON.stringify(now) !== JSON.stringify(before)) {
          const changed = [...new Set([...Object.keys(now), ...Object.keys(before)])].filter(
            (key) => now[key] !== before[key],
          );
          failures.push(`${c.name}: store changed (${changed.slice(0, 5).join(', ')})`);
          break;
        }
      }
      await bot.certops.settle();
      expect(await snapshot(bot.redis.redis, prefix)).toEqual(before);
      expect(failures).toEqual([]);
      console.warn(`bad inputs: ${all.length} in ${Date.now() - started} ms`);
    },
    Number(process.env.FAULTS_TIMEOUT ?? 30_000),
  );
});
