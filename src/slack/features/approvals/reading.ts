/** What the approvals listeners and notifiers share: reading a request, and saying a refusal. */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { Application } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { Refusal } from '../../../domain/result.js';
import type { SlackDeps } from '../../deps.js';
import { type Translate, translator } from '../../i18n/index.js';
import { decodeMetadata } from '../../metadata.js';
import { refusalText as sharedRefusalText, statusLabel, who } from '../../views/format.js';
import { type RequestDetails, requestButtonSchema, when } from './views.js';

/** The approvals and support channels are shared: their messages are in their default language. */
export const channelT: Translate = translator('en');

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

export async function loadDetails(
  deps: SlackDeps,
  application: Application,
  certificate?: Certificate,
): Promise<RequestDetails> {
  const { store } = deps.useCases;
  const [cert, contact, sources] = await Promise.all([
    certificate ?? store.certificates.get(application.certificateId),
    application.contactId ? store.contacts.get(application.contactId) : undefined,
    application.kind === 'combine'
      ? store.certificates.getMany(application.combineWith ?? [])
      : Promise.resolve([]),
  ]);
  return { application, certificate: cert, contact, sources };
}

export function decodeButton(value: string | undefined): string | undefined {
  try {
    return decodeMetadata(requestButtonSchema, value, 200).a;
  } catch {
    return undefined;
  }
}

/**
 * A refusal for the person who clicked: "already decided" says by whom and when (a mention in
 * mrkdwn, the bare id in a modal's plain-text error); everything else comes from the catalog.
 */
export function refusalText(
  t: Translate,
  refusal: Refusal,
  timeZone: string,
  style: 'mrkdwn' | 'plain',
): string {
  if (refusal.code !== 'decision.already_decided')
    return sharedRefusalText(t, refusal, { timeZone, escape: style === 'mrkdwn' });
  const params = refusal.params ?? {};
  const by = String(params.by ?? '');
  const at = Number(params.at ?? 0);
  return t('approvals.already_decided', {
    status: statusLabel(t, String(params.status ?? '')),
    by: by === '' ? '?' : style === 'mrkdwn' ? who(by) : by,
    at: at > 0 ? when(t, at, timeZone) : t('approvals.unknown_date'),
  });
}

export function alreadyDecided(app: Application): Refusal {
  return {
    code: 'decision.already_decided',
    params: { id: app.id, status: app.status, by: app.decidedBy ?? '', at: app.decidedAt ?? 0 },
  };
}
