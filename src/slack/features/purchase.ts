import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import { canRecordPurchases } from '../../usecases/context.js';
import {
  type PurchaseRecord,
  purchaseRecordSchema,
  recordPurchases,
} from '../../usecases/record-purchase.js';
import { escapeMrkdwn } from '../blocks.js';
import {
  type SlackClient,
  type SlackDeps,
  type SlackFeature,
  type SubcommandArgs,
  translatorFor,
} from '../deps.js';
import type { Translate } from '../i18n/index.js';
import { decodeMetadata } from '../metadata.js';
import {
  chosenKind,
  FIELD_BLOCKS,
  PURCHASE,
  type PurchaseMetadata,
  type PurchaseView,
  purchaseMetadataSchema,
  purchaseModal,
  purchaseViewSchema,
  readPurchaseForm,
} from './purchase-views.js';
import { domainTypeLabel, refusalText } from './queries-views.js';

/** Ids listed in the confirmation; the rest are counted. */
const MAX_IDS_SHOWN = 20;

/**
 * `/cert purchase` (admins and approvers): record certificate instances or hosting credits
 * bought outside CertOps. One record per submission; `npm run import-purchases` loads many.
 */
async function purchaseCommand({
  deps,
  client,
  respond,
  t,
  userId,
  channelId,
  triggerId,
}: SubcommandArgs): Promise<void> {
  if (!canRecordPurchases(deps.useCases.policy, userId)) {
    await respond({
      response_type: 'ephemeral',
      text: refusalText(t, { code: 'purchase.not_allowed', params: { user: userId } }),
    });
    return;
  }
  await client.views.open({
    trigger_id: triggerId,
    view: purchaseModal(t, { k: 'instances', ch: channelId }),
  });
}

const actionBodySchema = z.object({
  user: z.object({ id: z.string().max(32) }),
  view: purchaseViewSchema.extend({ id: z.string().max(64) }),
  actions: z.array(z.object({ selected_option: z.object({ value: z.string() }).nullish() })).min(1),
});

/** The radio changed: show the other form in place. */
async function onKindChange(
  { ack, body, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  await ack();
  const parsed = actionBodySchema.safeParse(body);
  if (!parsed.success) {
    deps.logger.warn('purchase: unreadable action', parsed.error.message);
    return;
  }
  const { user, view, actions } = parsed.data;
  let meta: PurchaseMetadata;
  try {
    meta = decodeMetadata(purchaseMetadataSchema, view.private_metadata);
  } catch (error) {
    deps.logger.warn('purchase: unreadable metadata', (error as Error).message);
    return;
  }
  const picked = z
    .enum(['instances', 'hosting_credits'])
    .safeParse(actions[0]?.selected_option?.value);
  const kind = picked.success ? picked.data : chosenKind(view);
  if (!kind || kind === meta.k) return;
  if (!canRecordPurchases(deps.useCases.policy, user.id)) return;
  const t = await translatorFor(deps, user.id);
  await client.views
    .update({
      view_id: view.id,
      ...(view.hash ? { hash: view.hash } : {}),
      view: purchaseModal(t, { k: kind, ch: meta.ch }),
    })
    .catch((error: unknown) => staleOrFailed(deps, 'purchase', error));
}

/** A zod issue as the text under its input. */
function issueText(t: Translate, issue: z.core.$ZodIssue, given: unknown): string {
  const field = String(issue.path[0] ?? '');
  if (field === 'domainQuota' && issue.code === 'custom') return t('purchase.error.single_quota');
  if (field === 'team') return t('purchase.error.team');
  if (field === 'validationType' || field === 'domainType' || field === 'validityYears')
    return t('purchase.error.choose');
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string'
        ? t('purchase.error.required')
        : t('purchase.error.at_least', { min: Number(issue.minimum) });
    case 'too_big':
      return issue.origin === 'string'
        ? t('purchase.error.too_long', { max: Number(issue.maximum) })
        : t('purchase.error.at_most', { max: Number(issue.maximum) });
    case 'invalid_type':
      return given === undefined ? t('purchase.error.required') : t('purchase.error.whole_number');
    default:
      return t('purchase.error.invalid');
  }
}

/** Every field's first problem, keyed by its input block; undefined if one has no block. */
function inlineErrors(
  t: Translate,
  issues: readonly z.core.$ZodIssue[],
  raw: Record<string, unknown>,
): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    const block = FIELD_BLOCKS[field];
    if (!block || !(field in raw)) return undefined;
    errors[block] ??= issueText(t, issue, raw[field]);
  }
  return errors;
}

function recordedText(t: Translate, record: PurchaseRecord, ids: readonly string[]): string {
  if (record.kind === 'hosting_credits') {
    return t('purchase.recorded_credits', { count: record.count, team: record.team });
  }
  const listed = ids
    .slice(0, MAX_IDS_SHOWN)
    .map((id) => `\`${id}\``)
    .join(', ');
  const hidden = ids.length - MAX_IDS_SHOWN;
  return t('purchase.recorded_instances', {
    count: ids.length,
    team: record.team,
    brand: escapeMrkdwn(record.brand),
    type: record.validationType,
    domainType: domainTypeLabel(t, record.domainType),
    grade: escapeMrkdwn(record.grade),
    years: record.validityYears,
    quota: record.domainQuota,
    ids: hidden > 0 ? `${listed} ${t('common.more', { count: hidden })}` : listed,
  });
}

async function onSubmit(
  { ack, body, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const parsed = purchaseViewSchema.safeParse(body.view);
  let view: PurchaseView;
  let meta: PurchaseMetadata;
  try {
    if (!parsed.success) throw parsed.error;
    view = parsed.data;
    meta = decodeMetadata(purchaseMetadataSchema, view.private_metadata);
  } catch (error) {
    deps.logger.warn('purchase: unreadable submission', (error as Error).message);
    await ack();
    await tell(client, deps, undefined, userId, t('purchase.error.form'));
    return;
  }
  const raw = readPurchaseForm(meta.k, view);
  const record = purchaseRecordSchema.safeParse(raw);
  if (!record.success) {
    const errors = inlineErrors(t, record.error.issues, raw);
    if (errors) {
      await ack({ response_action: 'errors', errors });
    } else {
      await ack();
      await tell(client, deps, meta.ch, userId, t('purchase.error.form'));
    }
    return;
  }
  const result = await recordPurchases(deps.useCases, userId, [record.data]);
  await ack();
  const text = result.ok
    ? recordedText(t, record.data, result.value.certificateIds)
    : t('purchase.refused', {
        reason: refusalText(t, result.refusal, { timeZone: deps.useCases.policy.timeZone }),
      });
  await tell(client, deps, meta.ch, userId, text);
}

/** A newer update won the race (hash_conflict): normal, not worth a warning. */
function staleOrFailed(deps: SlackDeps, feature: string, error: unknown): void {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code === 'hash_conflict')
    deps.logger.debug(`${feature}: views.update skipped (hash_conflict)`);
  else deps.logger.warn(`${feature}: views.update failed`, error);
}

/** No response_url from a modal: ephemeral in the command's channel, else a DM. */
async function tell(
  client: SlackClient,
  deps: SlackDeps,
  channel: string | undefined,
  user: string,
  text: string,
): Promise<void> {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user, text });
      return;
    } catch (error) {
      deps.logger.warn(`purchase: ephemeral reply in ${channel} failed, sending a DM`, error);
    }
  }
  await client.chat.postMessage({ channel: user, text }).catch((error: unknown) => {
    deps.logger.error('purchase: could not tell the user', error);
  });
}

/** The purchase slice of the Slack side. */
export const purchaseFeature: SlackFeature = {
  subcommands: { purchase: purchaseCommand },
  register(app: App, deps: SlackDeps) {
    app.action(PURCHASE.kind, (args) => onKindChange(args, deps));
    app.view(PURCHASE.callback, (args) => onSubmit(args, deps));
  },
};
