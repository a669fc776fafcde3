import { z } from 'zod';
import type { Application } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { DomainChallenge } from '../../../usecases/ports/index.js';
import {
  actions,
  blocksSize,
  button,
  context,
  escapeMrkdwn,
  fallbackText,
  header,
  type KnownBlock,
  section,
} from '../../blocks.js';
import type { Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { encodeMetadata } from '../../metadata.js';

/** Ids of the CA feature's blocks and buttons. */
export const CA_IDS = {
  verify: 'ca.verify',
  actions: 'ca.challenges.actions',
} as const;

/** The Verify button's value: the application whose CA order to verify. Untrusted on return. */
export const verifyButtonSchema = z.object({ a: z.string().min(1).max(64) });

export interface ChallengeMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/**
 * The DM telling the requester which validation records to publish (DNS TXT or CNAME, or a
 * file), with the Verify button when the provider waits for it (ACME). Usually one
 * message; a long list is split over several (each within Slack's 50 blocks and size budget),
 * the first with the explanation and the last with Verify, so no record is ever left out.
 */
export function challengeMessages(
  t: Translate,
  input: {
    readonly application: Application;
    readonly certificate: Certificate;
    readonly challenges: readonly DomainChallenge[];
    /** `interactive` (ACME): the requester clicks Verify; `polling`: CertOps follows the CA. */
    readonly outcomes: 'interactive' | 'polling';
  },
): ChallengeMessage[] {
  const { application: app, certificate: cert, challenges } = input;
  const interactive = input.outcomes === 'interactive';
  const name = escapeMrkdwn(cert.name);
  const id = escapeMrkdwn(cert.id);
  const records = challenges.map((c) => {
    const params = {
      domain: escapeMrkdwn(c.domain),
      name: escapeMrkdwn(c.name),
      value: escapeMrkdwn(c.value),
    };
    return section(
      c.type === 'file'
        ? t('ca.challenges.record_file', params)
        : t('ca.challenges.record', { ...params, type: c.type === 'dns-cname' ? 'CNAME' : 'TXT' }),
    );
  });
  const opening: KnownBlock[] = [
    header(t('ca.challenges.title', { name: cert.name })),
    section(
      t(interactive ? 'ca.challenges.intro' : 'ca.challenges.intro_polling', {
        app: escapeMrkdwn(app.id),
        name,
        id,
      }),
    ),
  ];
  const closing: KnownBlock[] = interactive
    ? [
        context([t('ca.challenges.context')]),
        actions(CA_IDS.actions, [
          button({
            actionId: CA_IDS.verify,
            text: t('ca.challenges.verify'),
            value: encodeMetadata(verifyButtonSchema, { a: app.id }, LIMITS.buttonValue),
            style: 'primary',
          }),
        ]),
      ]
    : [context([t('ca.challenges.context_polling')])];
  // A later part starts with one section saying what it continues.
  const continuation = section(t('ca.challenges.intro_more', { name, id, part: 99, parts: 99 }));
  const pages = pack(records, [opening, [continuation]], closing);
  const text = fallbackText(
    t(interactive ? 'ca.challenges.fallback' : 'ca.challenges.fallback_polling', {
      count: challenges.length,
      name,
      id,
    }),
  );
  return pages.map((page, i) => {
    const head =
      i === 0
        ? opening
        : [section(t('ca.challenges.intro_more', { name, id, part: i + 1, parts: pages.length }))];
    const tail = i === pages.length - 1 ? closing : [];
    return { text, blocks: [...head, ...page, ...tail] };
  });
}

/**
 * Splits `items` into pages that fit one message each, given the blocks every page starts with
 * (`heads[0]` for the first, `heads[1]` for the others) and the blocks the last page ends with.
 */
function pack(
  items: readonly KnownBlock[],
  heads: readonly [readonly KnownBlock[], readonly KnownBlock[]],
  tail: readonly KnownBlock[],
): KnownBlock[][] {
  const fits = (blocks: readonly KnownBlock[]) =>
    blocks.length <= LIMITS.messageBlocks && blocksSize(blocks) <= LIMITS.messageBlocksChars;
  const pages: KnownBlock[][] = [];
  let page: KnownBlock[] = [];
  for (const item of items) {
    const head = pages.length === 0 ? heads[0] : heads[1];
    // Room is kept for the tail on every page, in case it turns out to be the last.
    if (page.length > 0 && !fits([...head, ...page, item, ...tail])) {
      pages.push(page);
      page = [];
    }
    page.push(item);
  }
  pages.push(page);
  return pages;
}
