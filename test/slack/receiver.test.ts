import { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import { checkedSocketModeReceiver } from '../../src/slack/receiver.js';
import { slackBodyProblem } from '../../src/slack/receiver-body.js';
import { eventBody, slashCommandBody } from '../../tools/try/slack-requests.js';

const user = { id: 'UALICE', team_id: 'T1' };

describe('slackBodyProblem', () => {
  it('passes the bodies Slack sends', () => {
    const command = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ text: 'list', userId: 'U1', responseUrl: 'x' })),
    );
    const bodies: unknown[] = [
      command,
      JSON.parse(eventBody({ type: 'app_home_opened', user: 'U1', tab: 'home', channel: 'D1' })),
      JSON.parse(eventBody({ type: 'user_change', user: { id: 'U1' } })),
      { type: 'url_verification', challenge: 'c', token: 't' },
      {
        type: 'block_actions',
        user,
        team: null,
        enterprise: null,
        channel: { id: 'C1', name: 'x' },
        container: { type: 'message' },
        trigger_id: 't',
        response_url: 'https://hooks',
        message: { ts: '1' },
        actions: [{ action_id: 'a', block_id: 'b', type: 'button', value: 'v', action_ts: '1' }],
      },
      {
        type: 'block_actions',
        user,
        team: { id: 'T1' },
        view: { id: 'V1', callback_id: 'c', state: { values: {} } },
        actions: [{ action_id: 'a', block_id: 'b', type: 'static_select' }],
      },
      {
        type: 'view_submission',
        user,
        team: { id: 'T1' },
        view: { id: 'V1', callback_id: 'c', private_metadata: '', state: { values: {} } },
      },
      { type: 'view_closed', user, team: { id: 'T1' }, view: { id: 'V1', callback_id: 'c' } },
      { type: 'shortcut', user, callback_id: 'c', trigger_id: 't' },
    ];
    expect(bodies.map(slackBodyProblem)).toEqual(bodies.map(() => undefined));
  });

  it('names what is wrong with a body Bolt would throw on', () => {
    expect(slackBodyProblem(null)).toBe('the request body is not an object');
    expect(slackBodyProblem([])).toBe('the request body is not an object');
    expect(slackBodyProblem({ type: 'nope' })).toBe('unsupported request type');
    expect(slackBodyProblem({ type: 'block_actions', actions: [{ action_id: 'a' }] })).toBe(
      'malformed action: user',
    );
    expect(slackBodyProblem({ type: 'event_callback', event: { type: 'x', channel: null } })).toBe(
      'malformed event: event.channel',
    );
    expect(slackBodyProblem({ command: ['/cert', '/cert'], user_id: 'U1' })).toBe(
      'malformed slash command: command',
    );
  });
});

describe('Socket Mode', () => {
  it('acks and drops an envelope whose body Bolt cannot route, with no unhandled error', async () => {
    const logs: string[] = [];
    const receiver = checkedSocketModeReceiver({
      appToken: 'xapp-1-test',
      logger: createLogger({ write: (line) => logs.push(line) }),
      customRoutes: [],
      port: 0,
    });
    const app = new App({
      token: 'xoxb-test',
      botId: 'B1',
      botUserId: 'U1',
      socketMode: true,
      receiver,
    });
    const handled: string[] = [];
    app.action('a', async ({ ack, body }) => {
      handled.push(body.user.id);
      await ack();
    });
    for (const body of [null, 0, 'x', { type: 'block_actions', actions: [{}] }]) {
      const acked = new Promise<unknown>((resolve) => {
        receiver.client.emit('slack_event', { body, ack: resolve });
      });
      await expect(acked).resolves.toBeUndefined();
    }
    expect(logs.filter((l) => l.includes('Socket Mode envelope dropped'))).toHaveLength(4);
    expect(handled).toEqual([]);
    // A well-formed envelope still reaches the listeners.
    const body = { type: 'block_actions', user, team: null, actions: [{ action_id: 'a' }] };
    await new Promise((resolve) => receiver.client.emit('slack_event', { body, ack: resolve }));
    expect(handled).toEqual(['UALICE']);
  });
});
