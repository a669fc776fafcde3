import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { z } from 'zod';
import type { HostingCredits } from '../../../domain/hosting.js';
import { canRecordPurchases } from '../../../domain/permissions.js';
import {
  type PurchaseRecord,
  purchaseRecordSchema,
  recordPurchases,
} from '../../../usecases/record-purchase.js';
import { escapeMrkdwn } from '../../blocks.js';
import {
  type SlackDeps,
  type SlackFeature,
  type SubcommandArgs,
  translatorFor,
} from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import { updateView } from '../../replies.js';
import {
  closeAndTell,
  fieldErrors,
  onSubmission,
  type Submission,
  type SubmitOutcome,
} from '../../submission.js';
import { readViewAction } from '../../view-state.js';
import { creditsText, domainTypeLabel, refusalText } from '../../views/format.js';
import { casPackageQuota, quotaLines } from './quota.js';
import {
  chosenKind,
  FIELD_BLOCKS,
  PURCHASE,
  type PurchaseMetadata,
  purchaseKindOf,
  purchaseMetadataSchema,
  purchaseModal,
  readPurchaseForm,
} from './views.js';

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
  const meta = { k: 'instances', ch: channelId } as const;
  const opened = await client.views.open({ trigger_id: triggerId, view: purchaseModal(t, meta) });
  // The trigger expires in 3 s: the modal opens first, the CAS quota is added when it is known.
  const view = opened.view;
  if (!view?.id) return;
  const quota = await casPackageQuota(deps);
  if (!quota) return;
  await updateView(
    client,
    deps,
    'purchase',
    { id: view.id, hash: view.hash },
    purchaseModal(t, meta, quotaLines(t, quota)),
  );
}

/** The radio changed: show the other form in place. */
async function onKindChange(
  { ack, body, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  await ack();
  const read = readViewAction(deps, 'purchase', body, purchaseMetadataSchema);
  if (!read) return;
  const { userId, view, action, meta } = read;
  const kind = purchaseKindOf(action.selected_option?.value) ?? chosenKind(view);
  if (!kind || kind === meta.k) return;
  if (!canRecordPurchases(deps.useCases.policy, userId)) return;
  const [t, quota] = await Promise.all([translatorFor(deps, userId), casPackageQuota(deps)]);
  const lines = quota ? quotaLines(t, quota) : undefined;
  await updateView(
    client,
    deps,
    'purchase',
    view,
    purchaseModal(t, { k: kind, ch: meta.ch }, lines),
  );
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

function recordedText(
  t: Translate,
  record: PurchaseRecord,
  ids: readonly string[],
  credits?: HostingCredits,
): string {
  if (record.kind === 'hosting_credits') {
    return t('purchase.recorded_credits', {
      count: record.count,
      team: record.team,
      ledger: credits ? creditsText(t, credits) : '',
    });
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

async function decideSubmission(
  deps: SlackDeps,
  submitted: Submission<PurchaseMetadata>,
): Promise<SubmitOutcome> {
  const { userId, t, view, meta } = submitted;
  const raw = readPurchaseForm(meta.k, view);
  const record = purchaseRecordSchema.safeParse(raw);
  if (!record.success) {
    const errors = inlineErrors(t, record.error.issues, raw);
    return errors
      ? fieldErrors(errors)
      : closeAndTell(submitted, meta.ch, t('purchase.error.form'));
  }
  const result = await recordPurchases(deps.useCases, userId, [record.data]);
  return closeAndTell(submitted, meta.ch, async () => {
    if (!result.ok) {
      const reason = refusalText(t, result.refusal, { timeZone: deps.useCases.policy.timeZone });
      return t('purchase.refused', { reason });
    }
    const credits =
      record.data.kind === 'hosting_credits'
        ? await deps.useCases.store.hostingCredits.get(record.data.team)
        : undefined;
    return recordedText(t, record.data, result.value.certificateIds, credits);
  });
}

/** The purchase slice of the Slack side. */
export const purchaseFeature: SlackFeature = {
  name: 'purchase',
  subcommands: { purchase: purchaseCommand },
  register(app: App, deps: SlackDeps) {
    app.action(PURCHASE.kind, (args) => onKindChange(args, deps));
    app.view(
      PURCHASE.callback,
      onSubmission(
        deps,
        {
          feature: 'purchase',
          metadata: purchaseMetadataSchema,
          unreadable: 'purchase.error.form',
        },
        (submitted) => decideSubmission(deps, submitted),
      ),
    );
  },
};
