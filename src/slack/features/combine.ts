import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import type { Certificate } from '../../domain/certificate.js';
import { instanceIneligibility } from '../../domain/combine.js';
import type { Refusal } from '../../domain/result.js';
import { applicableInstances } from '../../usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { combineCandidates, requestCombination } from '../../usecases/request-combination.js';
import { escapeMrkdwn, type ModalView } from '../blocks.js';
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
  COMBINE,
  type CombineMetadata,
  type CombineView,
  combineMetadataSchema,
  combineModal,
  combineRefusedModal,
  combineViewSchema,
  readCombineForm,
  withBlockId,
} from './combine-views.js';
import { refusalText } from './queries-views.js';

/**
 * `/cert combine [instance]` (合并证书): combine OV/EV instances of one brand and type, each
 * 1-year and not yet applied for, into the current one. The request goes to approvers; the
 * result (named cas-merge-…) has the summed domain quota.
 */

/** The person's instances that could take part in a combination at all. */
async function combinableInstances(ctx: UseCaseContext, userId: string): Promise<Certificate[]> {
  return (await applicableInstances(ctx, userId)).filter(
    (c) => instanceIneligibility(c).length === 0,
  );
}

/** A refusal in the reader's words: mrkdwn for messages, plain text for input errors. */
function why(t: Translate, plain = false): (refusal: Refusal) => string {
  return (refusal) => refusalText(t, refusal, { escape: !plain });
}

/** The modal for `currentId`, or the reason it cannot be combined into. */
async function modalFor(
  deps: SlackDeps,
  t: Translate,
  userId: string,
  currentId: string,
  selected: readonly string[],
  channelId: string,
  choices: readonly Certificate[],
): Promise<{ ok: true; view: ModalView } | { ok: false; refusal: Refusal }> {
  const candidates = await combineCandidates(deps.useCases, currentId, userId);
  if (!candidates.ok) return candidates;
  return {
    ok: true,
    view: combineModal(t, {
      ...candidates.value,
      choices,
      selected,
      channelId,
      why: why(t),
    }),
  };
}

async function combineCommand({
  deps,
  client,
  respond,
  t,
  userId,
  channelId,
  triggerId,
  args,
}: SubcommandArgs): Promise<void> {
  const choices = await combinableInstances(deps.useCases, userId);
  const currentId = args[0]?.slice(0, 64) ?? choices[0]?.id;
  if (!currentId) {
    await respond({ response_type: 'ephemeral', text: t('combine.none') });
    return;
  }
  const built = await modalFor(deps, t, userId, currentId, [], channelId, choices);
  if (!built.ok) {
    await respond({
      response_type: 'ephemeral',
      text: t('combine.refused', { id: escapeMrkdwn(currentId), reason: why(t)(built.refusal) }),
    });
    return;
  }
  await client.views.open({ trigger_id: triggerId, view: built.view });
}

const optionSchema = z.object({ value: z.string().max(75) });
const actionBodySchema = z.object({
  user: z.object({ id: z.string().max(32) }),
  view: combineViewSchema,
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        selected_option: optionSchema.nullish(),
        selected_options: z.array(optionSchema).max(200).nullish(),
      }),
    )
    .min(1),
});

/**
 * Picking another instance (`combine.current`) re-renders its candidates; changing the
 * selection (`combine.with`) re-renders the summed quota. Both update the open modal in place.
 */
async function onChange(
  { ack, body, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  await ack();
  const parsed = actionBodySchema.safeParse(body);
  if (!parsed.success) {
    deps.logger.warn('combine: unreadable action', parsed.error.message);
    return;
  }
  const { user, view, actions } = parsed.data;
  const [action] = actions;
  const t = await translatorFor(deps, user.id);
  let meta: CombineMetadata;
  try {
    meta = decodeMetadata(combineMetadataSchema, view.private_metadata);
  } catch (error) {
    deps.logger.warn('combine: unreadable metadata', (error as Error).message);
    return;
  }
  const form = readCombineForm(view, meta.c);
  const choices = await combinableInstances(deps.useCases, user.id);
  let next: ModalView;
  if (action?.action_id === COMBINE.current) {
    const picked = action.selected_option?.value ?? form.pickedId;
    if (!picked || picked === meta.c) return;
    const built = await modalFor(deps, t, user.id, picked, [], meta.ch, choices);
    next = built.ok
      ? built.view
      : combineRefusedModal(t, {
          choices,
          pickedId: picked,
          reason: why(t)(built.refusal),
          channelId: meta.ch,
        });
  } else {
    const selected = action?.selected_options?.map((o) => o.value) ?? form.selected;
    const built = await modalFor(deps, t, user.id, meta.c, selected, meta.ch, choices);
    next = built.ok
      ? built.view
      : combineRefusedModal(t, {
          choices,
          pickedId: meta.c,
          reason: why(t)(built.refusal),
          channelId: meta.ch,
        });
  }
  await client.views
    .update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: next })
    .catch((error: unknown) => staleOrFailed(deps, 'combine', error));
}

/** Refusals about a chosen candidate, shown on the multi-select; the others are told. */
function candidateRefusal(refusal: Refusal, currentId: string): boolean {
  switch (refusal.code) {
    case 'combine.nothing_selected':
    case 'combine.candidate_ineligible':
    case 'combine.same_instance':
    case 'combine.brand_mismatch':
    case 'combine.type_mismatch':
      return true;
    case 'combine.not_ov_ev':
    case 'combine.state':
    case 'combine.validity':
    case 'request.open':
      return refusal.params?.id !== currentId;
    default:
      return false;
  }
}

async function onSubmit(
  { ack, body, client }: SlackViewMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const parsed = combineViewSchema.safeParse(body.view);
  let view: CombineView;
  let meta: CombineMetadata;
  try {
    if (!parsed.success) throw parsed.error;
    view = parsed.data;
    meta = decodeMetadata(combineMetadataSchema, view.private_metadata);
  } catch (error) {
    deps.logger.warn('combine: unreadable submission', (error as Error).message);
    await ack();
    await tell(client, deps, undefined, userId, t('combine.error.form'));
    return;
  }
  const form = readCombineForm(view, meta.c);
  const withBlock = withBlockId(meta.c);
  // Both mistakes at once, before asking the use case (which reports one at a time).
  const errors: Record<string, string> = {};
  if (form.selected.length === 0) errors[withBlock] = t('combine.error.nothing_selected');
  if (!form.confirmed) errors[COMBINE.confirm] = t('combine.error.confirm');
  if (Object.keys(errors).length > 0) {
    await ack({ response_action: 'errors', errors });
    return;
  }
  const result = await requestCombination(deps.useCases, {
    certificateId: meta.c,
    requesterId: userId,
    combineWith: form.selected,
    confirmedNoRefund: form.confirmed,
  });
  if (!result.ok) {
    const { refusal } = result;
    if (refusal.code === 'combine.not_confirmed') {
      await ack({
        response_action: 'errors',
        errors: { [COMBINE.confirm]: why(t, true)(refusal) },
      });
      return;
    }
    if (candidateRefusal(refusal, meta.c)) {
      await ack({ response_action: 'errors', errors: { [withBlock]: why(t, true)(refusal) } });
      return;
    }
    await ack();
    await tell(
      client,
      deps,
      meta.ch,
      userId,
      t('combine.refused', { id: escapeMrkdwn(meta.c), reason: why(t)(refusal) }),
    );
    return;
  }
  await ack();
  const { application, domainQuota } = result.value;
  const current = await deps.useCases.store.certificates.get(meta.c);
  await tell(
    client,
    deps,
    meta.ch,
    userId,
    t('combine.requested', {
      app: application.id,
      count: application.combineWith?.length ?? form.selected.length,
      name: escapeMrkdwn(current?.name ?? meta.c),
      id: meta.c,
      quota: domainQuota,
    }),
  );
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
      deps.logger.warn(`combine: ephemeral reply in ${channel} failed, sending a DM`, error);
    }
  }
  await client.chat.postMessage({ channel: user, text }).catch((error: unknown) => {
    deps.logger.error('combine: could not tell the user', error);
  });
}

/** The combine slice of the Slack side. */
export const combineFeature: SlackFeature = {
  subcommands: { combine: combineCommand },
  register(app: App, deps: SlackDeps) {
    app.action(COMBINE.current, (args) => onChange(args, deps));
    app.action(COMBINE.with, (args) => onChange(args, deps));
    app.view(COMBINE.callback, (args) => onSubmit(args, deps));
  },
};
