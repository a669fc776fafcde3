import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
} from '@slack/bolt';
import type { Certificate } from '../../../domain/certificate.js';
import { instanceIneligibility } from '../../../domain/combine.js';
import type { Refusal } from '../../../domain/result.js';
import { applicableInstances } from '../../../usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../../usecases/context.js';
import {
  combineCandidates,
  requestCombination,
  searchCombineCandidates,
} from '../../../usecases/request-combination.js';
import { escapeMrkdwn, type ModalView } from '../../blocks.js';
import {
  type SlackDeps,
  type SlackFeature,
  type SubcommandArgs,
  translatorFor,
} from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { decodeMetadata } from '../../metadata.js';
import { type ModalOutcome, openModalWhenReady, updateView } from '../../replies.js';
import {
  closeAndTell,
  fieldErrors,
  onSubmission,
  type Submission,
  type SubmitOutcome,
} from '../../submission.js';
import { readViewAction, suggestionQuery } from '../../view-state.js';
import { refusalText } from '../../views/format.js';
import { placeholderModals } from '../../views/modal-parts.js';
import {
  COMBINE,
  type CombineForm,
  type CombineMetadata,
  candidateOption,
  combineMetadataSchema,
  combineModal,
  combineRefusedModal,
  pickOption,
  readCombineForm,
  withBlockId,
} from './views.js';

/**
 * `/cert combine [instance]` (合并证书): combine OV/EV instances of one brand and type, each
 * 1-year and not yet applied for, into the current one. The request goes to approvers; the
 * result (named cas-merge-…) has the summed domain quota.
 */

/**
 * The person's instances that could take part in a combination at all, among the first 100
 * they may apply for (or those matching a search), and how many they may apply for in all.
 */
async function combinableInstances(
  ctx: UseCaseContext,
  userId: string,
  // Past a select's 100 the pick searches (external select): opening reads only the count.
  search: Parameters<typeof applicableInstances>[2] = { readUpTo: LIMITS.selectOptions },
): Promise<{ choices: Certificate[]; total: number }> {
  const page = await applicableInstances(ctx, userId, search);
  return {
    choices: page.instances.filter((c) => instanceIneligibility(c).length === 0),
    total: page.total,
  };
}

/**
 * The instance a bare `/cert combine` starts from: the first that can be combined at all (a
 * search modal reads no choices, so a few are read for this).
 */
async function firstCombinable(
  deps: SlackDeps,
  userId: string,
  choices: { choices: readonly Certificate[]; total: number },
): Promise<string | undefined> {
  if (choices.choices.length > 0 || choices.total === 0) return choices.choices[0]?.id;
  return (await combinableInstances(deps.useCases, userId, { limit: 20 })).choices[0]?.id;
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
  { choices, total }: { choices: readonly Certificate[]; total: number },
): Promise<{ ok: true; view: ModalView } | { ok: false; refusal: Refusal }> {
  const candidates = await combineCandidates(deps.useCases, currentId, userId, selected);
  if (!candidates.ok) return candidates;
  return {
    ok: true,
    view: combineModal(t, {
      ...candidates.value,
      choices,
      choicesTotal: total,
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
  const build = async (): Promise<ModalOutcome> => {
    const choices = await combinableInstances(deps.useCases, userId);
    const currentId = args[0]?.slice(0, 64) ?? (await firstCombinable(deps, userId, choices));
    if (!currentId) return { text: t('combine.none') };
    const built = await modalFor(deps, t, userId, currentId, [], channelId, choices);
    if (!built.ok)
      return {
        text: t('combine.refused', {
          id: escapeMrkdwn(currentId),
          reason: why(t)(built.refusal),
        }),
      };
    return { view: built.view };
  };
  await openModalWhenReady({
    client,
    deps,
    feature: 'combine',
    triggerId,
    placeholder: placeholderModals(t, t('combine.modal.title')),
    build,
    tell: (text) => respond({ response_type: 'ephemeral', text }),
  });
}

/**
 * Picking another instance (`combine.current`) re-renders its candidates; changing the
 * selection (`combine.with`) re-renders the summed quota. Both update the open modal in place.
 */
async function onChange(
  { ack, body, client }: SlackActionMiddlewareArgs & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  await ack();
  const read = readViewAction(deps, 'combine', body, combineMetadataSchema);
  if (!read) return;
  const { userId, view, action, meta } = read;
  const t = await translatorFor(deps, userId);
  const form = readCombineForm(view, meta.c);
  const choices = await combinableInstances(deps.useCases, userId);
  // Another instance picked: its candidates, none chosen yet; else the new selection.
  let currentId = meta.c;
  let selected: readonly string[];
  if (action.action_id === COMBINE.current) {
    const picked = action.selected_option?.value ?? form.pickedId;
    if (!picked || picked === meta.c) return;
    currentId = picked;
    selected = [];
  } else {
    selected = action.selected_options?.map((o) => o.value) ?? form.selected;
  }
  const built = await modalFor(deps, t, userId, currentId, selected, meta.ch, choices);
  const next = built.ok
    ? built.view
    : combineRefusedModal(t, {
        choices: choices.choices,
        choicesTotal: choices.total,
        pickedId: currentId,
        reason: why(t)(built.refusal),
        channelId: meta.ch,
      });
  await updateView(client, deps, 'combine', view, next);
}

/**
 * Options for the search of the instance to combine into (past 100 the pick is an external
 * select): those the person may apply for whose name or id starts with what is typed and that
 * could be combined at all. Answered in the ack, within Slack's 3 s.
 */
async function suggestTargets(
  { ack, body }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  const query = suggestionQuery(body.value);
  const { choices } = await combinableInstances(deps.useCases, body.user.id, { query });
  await ack({ options: choices.map(pickOption) });
}

/**
 * Options for a big team's candidates (past 100 they are searched): those whose name or id
 * starts with what is typed and that may be combined into the modal's current instance.
 */
async function suggestCandidates(
  { ack, body }: SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs,
  deps: SlackDeps,
): Promise<void> {
  let meta: { c: string };
  try {
    meta = decodeMetadata(combineMetadataSchema, body.view?.private_metadata);
  } catch {
    // Not our modal's metadata (forged or cut): nothing to offer.
    await ack({ options: [] });
    return;
  }
  const t = await translatorFor(deps, body.user.id);
  const found = await searchCombineCandidates(
    deps.useCases,
    meta.c,
    body.user.id,
    suggestionQuery(body.value),
  );
  await ack({ options: found.map((c) => candidateOption(t, c)) });
}

/** Refusals about a chosen candidate, shown on the multi-select; the others are told. */
function candidateRefusal(refusal: Refusal, currentId: string): boolean {
  switch (refusal.code) {
    case 'combine.nothing_selected':
    case 'combine.candidate_ineligible':
    case 'combine.same_instance':
    case 'combine.brand_mismatch':
    case 'combine.grade_mismatch':
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

/** Both mistakes at once, before asking the use case (which reports one at a time). */
function formErrors(t: Translate, form: CombineForm, withBlock: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.selected.length === 0) errors[withBlock] = t('combine.error.nothing_selected');
  if (!form.confirmed) errors[COMBINE.confirm] = t('combine.error.confirm');
  return errors;
}

/** Where a refusal is shown: on the confirmation or the candidates, else told after closing. */
function refusalBlock(refusal: Refusal, currentId: string): string | undefined {
  if (refusal.code === 'combine.not_confirmed') return COMBINE.confirm;
  return candidateRefusal(refusal, currentId) ? withBlockId(currentId) : undefined;
}

async function decideSubmission(
  deps: SlackDeps,
  submitted: Submission<CombineMetadata>,
): Promise<SubmitOutcome> {
  const { userId, t, view, meta } = submitted;
  const form = readCombineForm(view, meta.c);
  const errors = formErrors(t, form, withBlockId(meta.c));
  if (Object.keys(errors).length > 0) return fieldErrors(errors);
  const result = await requestCombination(deps.useCases, {
    certificateId: meta.c,
    requesterId: userId,
    combineWith: form.selected,
    confirmedNoRefund: form.confirmed,
  });
  if (!result.ok) {
    const { refusal } = result;
    const block = refusalBlock(refusal, meta.c);
    if (block) return fieldErrors({ [block]: why(t, true)(refusal) });
    const reason = why(t)(refusal);
    return closeAndTell(
      submitted,
      meta.ch,
      t('combine.refused', { id: escapeMrkdwn(meta.c), reason }),
    );
  }
  const { application, domainQuota } = result.value;
  return closeAndTell(submitted, meta.ch, async () => {
    const current = await deps.useCases.store.certificates.get(meta.c);
    return t('combine.requested', {
      app: application.id,
      count: application.combineWith?.length ?? form.selected.length,
      name: escapeMrkdwn(current?.name ?? meta.c),
      id: meta.c,
      quota: domainQuota,
    });
  });
}

/** The combine slice of the Slack side. */
export const combineFeature: SlackFeature = {
  name: 'combine',
  subcommands: { combine: combineCommand },
  register(app: App, deps: SlackDeps) {
    app.action(COMBINE.current, (args) => onChange(args, deps));
    app.action(COMBINE.with, (args) => onChange(args, deps));
    app.view(
      COMBINE.callback,
      onSubmission(
        deps,
        { feature: 'combine', metadata: combineMetadataSchema, unreadable: 'combine.error.form' },
        (submitted) => decideSubmission(deps, submitted),
      ),
    );
    app.options<'block_suggestion'>(
      { type: 'block_suggestion', action_id: COMBINE.current },
      (args) => suggestTargets(args, deps),
    );
    app.options<'block_suggestion'>({ type: 'block_suggestion', action_id: COMBINE.with }, (args) =>
      suggestCandidates(args, deps),
    );
  },
};
