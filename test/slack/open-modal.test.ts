import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import { modal, section } from '../../src/slack/blocks.js';
import type { SlackClient, SlackDeps } from '../../src/slack/deps.js';
import { translator } from '../../src/slack/i18n/index.js';
import { type ModalOutcome, openModalWhenReady } from '../../src/slack/replies.js';
import { placeholderModals } from '../../src/slack/views/modal-parts.js';
import { LocalSlackApi } from '../../tools/try/local-slack-api.js';

const t = translator('en');
const ready = modal({ callbackId: 'ready', title: 'Apply', blocks: [section('the form')] });

/**
 * Opening a modal whose reads may be slow: on time, one views.open of the modal itself; late, a
 * loading modal on the trigger at once, then views.update with the hash Slack answered. The
 * reads are a promise the test settles itself, after the event it waits for.
 */
describe('openModalWhenReady', () => {
  let slack: LocalSlackApi;
  let client: SlackClient;
  const told: string[] = [];

  beforeAll(async () => {
    slack = new LocalSlackApi();
    await slack.start();
    client = new webApi.WebClient('xoxb-open', {
      slackApiUrl: slack.url,
      retryConfig: { retries: 0 },
    });
  });
  afterAll(async () => {
    await slack?.stop();
  });
  beforeEach(() => {
    slack.reset();
    told.length = 0;
  });

  const deps = (loadingViewAfterMs: number) =>
    ({
      settings: { approvalChannel: 'CA', supportChannel: 'CS', loadingViewAfterMs },
      logger: createLogger({ level: 'debug' as never, write: () => undefined }),
    }) as unknown as SlackDeps;

  function open(after: number, build: () => Promise<ModalOutcome>) {
    return openModalWhenReady({
      client,
      deps: deps(after),
      feature: 'test',
      triggerId: 'trigger-1',
      placeholder: placeholderModals(t, 'Apply'),
      build,
      tell: async (text) => {
        told.push(text);
      },
    });
  }

  function deferred() {
    let resolve: (outcome: ModalOutcome) => void = () => undefined;
    const promise = new Promise<ModalOutcome>((r) => (resolve = r));
    return { promise, resolve };
  }

  it('reads done in time: the modal itself opens, nothing else', async () => {
    await open(2500, async () => ({ view: ready }));
    expect(slack.calls.map((c) => c.method)).toEqual(['views.open']);
    expect(slack.calls[0]?.params).toMatchObject({ trigger_id: 'trigger-1', view: ready });
  });

  it('words found in time are told, and no modal opens', async () => {
    await open(2500, async () => ({ text: 'nothing to apply for' }));
    expect(told).toEqual(['nothing to apply for']);
    expect(slack.calls).toEqual([]);
  });

  it('reads still running: a loading modal opens on the trigger, then is replaced by hash', async () => {
    const reads = deferred();
    const opening = open(0, () => reads.promise);
    const loading = await slack.waitFor((c) => c.method === 'views.open');
    expect(loading.params).toMatchObject({
      trigger_id: 'trigger-1',
      view: placeholderModals(t, 'Apply').loading,
    });
    reads.resolve({ view: ready });
    await opening;
    const [update] = slack.callsOf('views.update');
    const answered = loading.response?.view as { id: string; hash: string };
    expect(update?.params).toMatchObject({
      view_id: answered.id,
      hash: answered.hash,
      view: ready,
    });
    expect(slack.calls.map((c) => c.method)).toEqual(['views.open', 'views.update']);
  });

  it('late words are shown in the loading modal, not as an ephemeral', async () => {
    const reads = deferred();
    const opening = open(0, () => reads.promise);
    await slack.waitFor((c) => c.method === 'views.open');
    reads.resolve({ text: 'that instance has an open request' });
    await opening;
    expect(told).toEqual([]);
    expect(slack.callsOf('views.update')[0]?.params.view).toEqual(
      placeholderModals(t, 'Apply').says('that instance has an open request'),
    );
  });

  it('a loading modal whose person moved on (hash_conflict) is left alone, not thrown', async () => {
    const reads = deferred();
    const opening = open(0, () => reads.promise);
    await slack.waitFor((c) => c.method === 'views.open');
    slack.failNext('views.update', { status: 200, body: { ok: false, error: 'hash_conflict' } });
    reads.resolve({ view: ready });
    await expect(opening).resolves.toBeUndefined();
  });
});
