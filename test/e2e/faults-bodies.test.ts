import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { sign, slashCommandBody } from '../../tools/try/slack-requests.js';
import { type BotUnderTest, SIGNING_SECRET, startBot } from '../support/certops-under-test.js';
import { snapshot } from '../support/redis-snapshot.js';

/**
 * Correctly signed bodies that are not something Bolt can route: JSON or `payload=` that is not an
 * object, and objects missing the fields their type needs. Bolt used to throw on these outside
 * any handler (no HTTP answer at all, an unhandled rejection) or answer 500. Each must get a 4xx
 * at once, change nothing, and leave the process answering with no unhandled rejection.
 */
const START = new Date('2126-06-04T10:00:00+08:00');
const ALICE = 'UALICE';

const form = (payload: unknown) =>
  `payload=${encodeURIComponent(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
const user = { id: ALICE, team_id: 'T_TEST' };
const blockAction = {
  type: 'block_actions',
  user,
  team: { id: 'T_TEST' },
  trigger_id: 't',
  actions: [{ action_id: 'x', block_id: 'b', type: 'button' }],
};
const viewSubmission = {
  type: 'view_submission',
  user,
  team: { id: 'T_TEST' },
  view: { id: 'V1', callback_id: 'x', state: { values: {} }, private_metadata: '' },
};
const event = (e: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'event_callback',
    team_id: 'T_TEST',
    event_id: 'Ev1',
    event: e,
    ...extra,
  });
const without = (o: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

const BODIES: Array<[string, 'json' | 'form']> = [
  // Not objects.
  ...['null', '0', '1', '-1', '"x"', '""', 'true', 'false', '[]', '[null]', '[{}]', '1e999'].map(
    (b): [string, 'json'] => [b, 'json'],
  ),
  ...['null', '0', 'true', '"x"', '[]', '[null]'].map((b): [string, 'form'] => [form(b), 'form']),
  ['payload=null&payload=null', 'form'],
  // Events missing what Bolt reads.
  [event(null), 'json'],
  [event(5), 'json'],
  [event('app_home_opened'), 'json'],
  [event({}), 'json'],
  [event({ type: 'app_home_opened', user: null }), 'json'],
  [event({ type: 'app_home_opened', user: ALICE, channel: null }), 'json'],
  [event({ type: 'reaction_added', user: ALICE, item: 'x' }), 'json'],
  [event({ type: 'subteam_created', subteam: null }), 'json'],
  [event({ type: 'app_home_opened', user: ALICE }, { authorizations: [null] }), 'json'],
  [event({ type: 'app_home_opened', user: ALICE }, { type: 'block_actions' }), 'json'],
  ['{"type":"url_verification"}', 'json'],
  ['{"type":"url_verification","challenge":{"a":1}}', 'json'],
  ['{"type":"app_rate_limited","minute_rate_limited":1}', 'json'],
  // Slash commands missing or repeating fields.
  ['command=%2Fcert&text=list', 'form'],
  ['command=%2Fcert&command=%2Fcert&user_id=UALICE&text=list', 'form'],
  ['command=%2Fcert&user_id=UALICE&user_id=UBOB&text=list', 'form'],
  ['command=%2Fcert&user_id=UALICE&text=list&text=status', 'form'],
  ['{"command":null,"user_id":"UALICE"}', 'json'],
  // Interactions missing what their type needs.
  [form(without(blockAction, 'user')), 'form'],
  [form({ ...blockAction, user: null }), 'form'],
  [form({ ...blockAction, user: 'UALICE' }), 'form'],
  [form({ ...blockAction, actions: {} }), 'form'],
  [form({ ...blockAction, actions: [] }), 'form'],
  [form({ ...blockAction, actions: [null] }), 'form'],
  [form({ ...blockAction, actions: [{ block_id: 'b' }] }), 'form'],
  [form({ ...blockAction, channel: null }), 'form'],
  [form({ ...blockAction, event: 5 }), 'form'],
  [form({ ...blockAction, command: 5 }), 'form'],
  [form({ ...blockAction, type: 'nope' }), 'form'],
  [form({ type: 'dialog_submission', user }), 'form'],
  [form({ type: 'interactive_message', user, actions: [{}] }), 'form'],
  [form({ type: 'block_suggestion', value: 'x' }), 'form'],
  [form({ name: 'x' }), 'form'],
  [form(without(viewSubmission, 'view')), 'form'],
  [form({ ...viewSubmission, view: null }), 'form'],
  [form({ ...viewSubmission, view: { id: 'V1' } }), 'form'],
  [form(without(viewSubmission, 'user')), 'form'],
  [form({ ...viewSubmission, type: 'view_closed', user: 7 }), 'form'],
  [form({ type: 'shortcut', callback_id: 'x', trigger_id: 't' }), 'form'],
  [form({ type: 'shortcut', user, trigger_id: 't' }), 'form'],
  [form({ type: 'message_action', callback_id: 'x', trigger_id: 't', user, message: {} }), 'form'],
  [form({ type: 'message_action', callback_id: 'x', trigger_id: 't', user, channel: {} }), 'form'],
  [form({ type: 'block_actions' }), 'form'],
  [form({ type: 'view_submission' }), 'form'],
  [form({ type: 'nope', user }), 'form'],
];

describe('signed bodies Bolt cannot route', () => {
  let bot: BotUnderTest;
  let prefix = '';
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    // Web role only: the clocks' jobs would change the store on their own schedule.
    bot = await startBot({ clock: fixedClock(START), env: { CERTOPS_ROLE: 'web' } });
    prefix = bot.config.redis.keyPrefix;
    const bought = await recordPurchases(bot.certops.useCases, 'UAPPROVER1', [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'DV',
        domainType: 'single',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 1,
        quantity: 1,
        team: 'default',
        name: 'state to keep',
      },
    ]);
    if (!bought.ok) throw new Error(JSON.stringify(bought.refusal));
    await bot.certops.settle();
  });

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await bot?.stop();
  });

  const post = (body: string, type: 'form' | 'json', signed = true) =>
    signed
      ? bot.post(body, type)
      : fetch(`${bot.baseUrl}/slack/events`, {
          method: 'POST',
          headers: {
            'content-type':
              type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
          },
          body,
        });

  it(`answers ${BODIES.length} such bodies with a 400 at once, changes nothing, stays up`, async () => {
    const before = await snapshot(bot.redis.redis, prefix);
    const outcomes = await Promise.all(
      BODIES.map(async ([body, type]) => {
        const started = Date.now();
        const response = await post(body, type);
        return {
          body: body.slice(0, 80),
          status: response.status,
          text: await response.text(),
          ms: Date.now() - started,
        };
      }),
    );
    const wrong = outcomes.filter((o) => o.status !== 400 || o.text.length === 0 || o.ms > 2000);
    expect(wrong).toEqual([]);
    await bot.certops.settle();
    expect(await snapshot(bot.redis.redis, prefix)).toEqual(before);
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    // Normal traffic still goes through, and Slack's unsigned SSL probe is still answered.
    const list = await post(
      slashCommandBody({ text: 'list', userId: ALICE, responseUrl: bot.slack.responseUrl('ok') }),
      'form',
    );
    expect(list.status).toBe(200);
    expect((await post('ssl_check=1&token=x', 'form', false)).status).toBe(200);
    // Let any stray promise from those requests settle before counting rejections.
    await new Promise((resolve) => setImmediate(resolve));
    expect(rejections).toEqual([]);
    expect(bot.logs.filter((line) => /unhandled/i.test(line))).toEqual([]);
  });

  it('keeps forged, stale and unsigned bodies at 401, whatever their shape', async () => {
    const stale = Math.floor(Date.now() / 1000) - 600;
    const statuses = await Promise.all([
      post('null', 'json', false).then((r) => r.status),
      post(form('null'), 'form', false).then((r) => r.status),
      post('{"type":"block_actions"}', 'json', false).then((r) => r.status),
      bot.post('null', 'json', { 'x-slack-signature': 'v0=00' }).then((r) => r.status),
      bot.post('0', 'json', sign('0', SIGNING_SECRET, stale)).then((r) => r.status),
      bot.post('null', 'json', sign('null', 'another-secret')).then((r) => r.status),
    ]);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect(rejections).toEqual([]);
  });

  it('refuses an oversize signed body with 413', async () => {
    const response = await bot.post(`payload=${'a'.repeat(5 * 1024 * 1024)}`, 'form');
    expect(response.status).toBe(413);
  });
});
