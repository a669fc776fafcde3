import { z } from 'zod';
import {
  actions,
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
import { formatDateTime, who } from '../../views/format.js';

/** Ids of the support channel's blocks and buttons. */
export const SUPPORT_IDS = {
  ack: 'support.ack',
  resolve: 'support.resolve',
  actions: 'support.case.actions',
} as const;

const entityId = z.string().min(1).max(64);
const channelId = z.string().regex(/^[A-Z0-9]{2,32}$/);
const messageTs = z.string().regex(/^\d{1,12}\.\d{1,9}$/);

/** A case button's value: which certificate's case (checked against the clicked message). */
export const caseButtonSchema = z.object({ c: entityId });

/** One open support case, kept in the key-value store under `support-case:<certificateId>`. */
export const caseRecordSchema = z.object({
  channel: channelId,
  ts: messageTs,
  certificateId: entityId,
  name: z.string().max(200),
  /** The first escalation's summary, already mrkdwn-escaped. */
  summary: z.string().max(LIMITS.sectionText),
  requesterId: z.string().max(32).optional(),
  openedAt: z.number().int(),
});
export type CaseRecord = z.infer<typeof caseRecordSchema>;

/** Who acknowledged or resolved a case, and when (kept under the parent message's ts). */
export const caseMarkSchema = z.object({ by: z.string().min(1).max(32), at: z.number().int() });
export type CaseMark = z.infer<typeof caseMarkSchema>;

export interface CaseState {
  readonly acknowledged?: CaseMark | undefined;
  readonly resolved?: CaseMark | undefined;
}

export function channelMention(channel: string): string {
  return `<#${channel}>`;
}

/** The parent message of a case: what happened first, who acknowledged or resolved it, buttons. */
export function caseMessage(
  t: Translate,
  record: CaseRecord,
  state: CaseState,
  timeZone: string,
): { text: string; blocks: KnownBlock[] } {
  const when = (at: number) =>
    t('support.when', { time: formatDateTime(at, timeZone), zone: timeZone });
  const opened = when(record.openedAt);
  const blocks: KnownBlock[] = [
    header(t('support.case.title', { name: record.name })),
    section(record.summary),
    context([
      record.requesterId
        ? t('support.case.context', {
            id: record.certificateId,
            requester: who(record.requesterId),
            at: opened,
          })
        : t('support.case.context_no_requester', { id: record.certificateId, at: opened }),
    ]),
  ];
  if (state.acknowledged) {
    blocks.push(
      context([
        t('support.acknowledged', {
          by: who(state.acknowledged.by),
          at: when(state.acknowledged.at),
        }),
      ]),
    );
  }
  if (state.resolved) {
    blocks.push(
      section(t('support.resolved', { by: who(state.resolved.by), at: when(state.resolved.at) })),
    );
  } else {
    const value = encodeMetadata(caseButtonSchema, { c: record.certificateId }, LIMITS.buttonValue);
    blocks.push(
      actions(SUPPORT_IDS.actions, [
        ...(state.acknowledged
          ? []
          : [button({ actionId: SUPPORT_IDS.ack, text: t('support.button.ack'), value })]),
        button({
          actionId: SUPPORT_IDS.resolve,
          text: t('support.button.resolve'),
          value,
          style: 'primary',
        }),
      ]),
    );
  }
  return {
    text: fallbackText(
      t('support.case.fallback', { name: escapeMrkdwn(record.name), summary: record.summary }),
    ),
    blocks,
  };
}
