import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/slack/i18n/index.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { eventBody, slashCommandBody } from '../../tools/try/slack-requests.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { SlackDriver } from '../support/slack-driver.js';

const ALICE = 'UALICE';
const BOB = 'UBOB';
const BUSY = `${translator('en')('common.busy')}\n${translator('zh-CN')('common.busy')}`;

/**
 * A web process with room for one request at a time (CERTOPS_MAX_REQUESTS_IN_FLIGHT=1) while
 * Slack holds the answer to a views.open: a new command is told "busy" in its ack, at once; an
 * event is acknowledged and dropped; once the first request is done, commands work again.
 */
describe('back-pressure: a full web process answers "busy" instead of queueing', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;

  beforeAll(async () => {
    bot = await startBot({ env: { CERTOPS_MAX_REQUESTS_IN_FLIGHT: '1', CERTOPS_ROLE: 'web' } });
    driver = new SlackDriver(bot);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function command(user: string, text: string): Promise<{ status: number; body: string }> {
    const res = await bot.post(
      slashCommandBody({ text, userId: user, responseUrl: bot.slack.responseUrl(`bp-${text}`) }),
      'form',
    );
    return { status: res.status, body: await res.text() };
  }

  it('turns a command away while full, and takes the next one once free', async () => {
    const load = bot.certops.load;
    if (!load) throw new Error('the web role has no load gate');
    // The first request stays in flight: Slack does not answer its views.open yet.
    const release = bot.slack.holdNext('views.open');
    const held = once(bot.slack, 'held') as Promise<[RecordedCall]>;
    const first = await driver.command(ALICE, 'upload');
    expect(first.status).toBe(200);
    const [call] = await held;
    expect(call.method).toBe('views.open');
    expect(load.working).toBe(1);

    const since = bot.slack.calls.length;
    const busy = await command(BOB, 'list');
    expect(busy.status).toBe(200);
    expect(JSON.parse(busy.body)).toEqual({ response_type: 'ephemeral', text: BUSY });
    // An event is acknowledged and dropped.
    const event = await bot.post(
      eventBody({ type: 'app_home_opened', user: BOB, tab: 'home' }),
      'json',
    );
    expect(event.status).toBe(200);
    expect(load.working).toBe(1);

    release();
    await driver.view(since, 'views.open');
    await load.idle();
    // Nothing of the turned-away requests ran.
    expect(bot.slack.calls.slice(since).map((c) => c.method)).toEqual(['views.open']);
    expect(bot.logs.filter((l) => l.includes('busy:'))).toHaveLength(2);

    // Room again: the next command is handled as usual.
    const { responseUrl } = await driver.command(BOB, 'help');
    expect((await driver.reply(responseUrl)).params.response_type).toBe('ephemeral');
  });
});
