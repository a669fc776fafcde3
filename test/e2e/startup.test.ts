import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign, slashCommandBody } from '../../tools/try/slack-requests.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';

describe('CertOps over HTTP', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('answers /healthz with 200 while Redis answers', async () => {
    const res = await fetch(`${bot.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('verified its token once with auth.test at start-up', () => {
    expect(bot.slack.callsOf('auth.test')).toHaveLength(1);
    expect(bot.slack.callsOf('auth.test')[0]?.token).toBe('xoxb-test-token');
  });

  it('acks a signed /cert help and answers on the response_url', async () => {
    const responseUrl = bot.slack.responseUrl('help');
    const res = await bot.post(
      slashCommandBody({ text: 'help', userId: 'U_ALICE', responseUrl }),
      'form',
    );
    expect(res.status).toBe(200);
    const reply = await bot.slack.waitFor((c) => c.method === 'response_url:help');
    expect(reply.params).toMatchObject({ response_type: 'ephemeral' });
    expect(String(reply.params.text)).toContain('/cert apply');
  });

  it('refuses forged and stale signatures with 401 and does nothing', async () => {
    const before = bot.slack.calls.length;
    const body = slashCommandBody({
      text: 'help',
      userId: 'U_ALICE',
      responseUrl: bot.slack.responseUrl('forged'),
    });
    const forged = await fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...sign(body, 'not-the-secret-0123456789'),
      },
      body,
    });
    expect(forged.status).toBe(401);
    const stale = await fetch(`${bot.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...sign(body, 'test0signing0secret0abcdef012345', Math.floor(Date.now() / 1000) - 600),
      },
      body,
    });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${bot.baseUrl}/slack/events`, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    expect(bot.slack.calls.length).toBe(before);
  });

  it('never logs the bot token or the signing secret', () => {
    const all = bot.logs.join('\n');
    expect(all).not.toContain('xoxb-test-token');
    expect(all).not.toContain('test0signing0secret0abcdef012345');
  });
});
