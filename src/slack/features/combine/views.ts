import { z } from 'zod';
import type { Certificate } from '../../../domain/certificate.js';
import type { Refusal } from '../../../domain/result.js';
import type { CombineCandidates } from '../../../usecases/request-combination.js';
import {
  checkboxes,
  context,
  divider,
  escapeMrkdwn,
  externalSelect,
  input,
  type KnownBlock,
  type ModalView,
  modal,
  multiExternalSelect,
  multiStaticSelect,
  option,
  section,
  staticSelect,
} from '../../blocks.js';
import type { Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { encodeMetadata } from '../../metadata.js';
import { readViewState, type SubmittedView } from '../../view-state.js';
import { domainTypeLabel } from '../../views/format.js';

/** Ids of the combine modal. */
export const COMBINE = {
  callback: 'combine.submit',
  /** Section whose select picks the instance to combine into (fires `combine.current`). */
  pick: 'combine.pick',
  current: 'combine.current',
  /** Action id of the multi-select of candidates (its block id is `withBlockId`). */
  with: 'combine.with',
  quota: 'combine.quota',
  confirm: 'combine.confirm',
  /** The one checkbox option: "combined instances cannot be refunded". */
  confirmed: 'no_refund',
} as const;

/**
 * The candidates' block id names the current instance, so that picking another one gives Slack
 * a new block and clears the old selection (same block_id keeps what was chosen).
 */
export function withBlockId(currentId: string): string {
  return `${COMBINE.with}:${currentId}`;
}

export const combineMetadataSchema = z.object({
  c: z.string().min(1).max(64),
  ch: z.string().max(64),
});
export type CombineMetadata = z.infer<typeof combineMetadataSchema>;

/** Ineligible instances listed with their reasons; the rest are counted. */
const MAX_INELIGIBLE_SHOWN = 8;

/** The candidates as the use case found them, plus what the modal shows around them. */
export interface CombineModalInput extends CombineCandidates {
  /** The person's instances that can be combined into (the pick select): the first 100. */
  readonly choices: readonly Certificate[];
  /**
   * How many instances the person may apply for in all: past a select's 100, the pick is a
   * search (an external select served by `app.options`).
   */
  readonly choicesTotal?: number;
  /** Ids of the candidates currently selected (kept across updates). */
  readonly selected: readonly string[];
  readonly channelId: string;
  /** A refusal in the reader's language. */
  readonly why: (refusal: Refusal) => string;
}

/** The current instance's quota plus the selected eligible ones'. */
export function summedQuota(
  current: Pick<Certificate, 'domainQuota'>,
  eligible: readonly Certificate[],
  selected: readonly string[],
): { total: number; added: number; count: number } {
  const chosen = new Set(selected);
  const picked = eligible.filter((c) => chosen.has(c.id));
  const added = picked.reduce((sum, c) => sum + c.domainQuota, 0);
  return { total: current.domainQuota + added, added, count: picked.length };
}

/** The option of an instance to combine into, as the select and the search offer it. */
export function pickOption(c: Certificate) {
  return option(c.name, c.id, c.id);
}

/** A candidate to combine in, as the multi-select and its search offer it. */
export function candidateOption(t: Translate, c: Certificate) {
  return option(t('combine.with.option', { name: c.name, quota: c.domainQuota }), c.id, c.id);
}

function pickSection(
  t: Translate,
  choices: readonly Certificate[],
  currentId: string | undefined,
  current?: Certificate,
  total = 0,
): KnownBlock[] {
  if (total > LIMITS.selectOptions) {
    const initial = current ?? choices.find((c) => c.id === currentId);
    return [
      section(t('combine.pick.label'), {
        blockId: COMBINE.pick,
        accessory: externalSelect({
          actionId: COMBINE.current,
          placeholder: t('combine.pick.search_placeholder'),
          minQueryLength: 0,
          ...(initial ? { initialOption: pickOption(initial) } : {}),
        }),
      }),
      context([t('combine.pick.search', { total })]),
    ];
  }
  // The current instance is always offered, even past the first 100.
  const offered = [
    ...(current && !choices.some((c) => c.id === current.id) ? [current] : []),
    ...choices,
  ];
  const shown = offered.slice(0, LIMITS.selectOptions);
  if (shown.length === 0) return [];
  return [
    section(t('combine.pick.label'), {
      blockId: COMBINE.pick,
      accessory: staticSelect({
        actionId: COMBINE.current,
        placeholder: t('combine.pick.placeholder'),
        options: shown.map(pickOption),
        ...(currentId ? { initialValue: currentId } : {}),
      }),
    }),
  ];
}

/**
 * The combine modal: the instance to combine into, a multi-select of the eligible instances
 * only, the summed domain quota, the ineligible ones with their reasons, and the no-refund
 * confirmation. Without eligible instances there is nothing to submit.
 */
export function combineModal(t: Translate, model: CombineModalInput): ModalView {
  const { current, eligible, ineligible, why } = model;
  const blocks: KnownBlock[] = [
    ...pickSection(t, model.choices, current.id, current, model.choicesTotal),
    section(
      t('combine.current', {
        name: escapeMrkdwn(current.name),
        id: current.id,
        brand: escapeMrkdwn(current.spec.brand),
        type: current.spec.validationType,
        domainType: domainTypeLabel(t, current.spec.domainType),
        years: current.validityYears,
        quota: current.domainQuota,
      }),
    ),
  ];
  const shown = eligible.slice(0, LIMITS.selectOptions);
  const shownIds = new Set(shown.map((c) => c.id));
  const selected = model.selected.filter((id) => shownIds.has(id));
  const searching = model.searched !== undefined;
  if (searching) {
    // A big team: its candidates are searched as one types (only those that can be combined).
    blocks.push(
      input({
        blockId: withBlockId(current.id),
        label: t('combine.with.label'),
        hint: t('combine.with.hint'),
        dispatchAction: true,
        element: multiExternalSelect({
          actionId: COMBINE.with,
          placeholder: t('combine.with.search_placeholder'),
          minQueryLength: 0,
          initialOptions: shown
            .filter((c) => selected.includes(c.id))
            .map((c) => candidateOption(t, c)),
        }),
      }),
      context([t('combine.with.search', { total: model.searched })]),
    );
  } else if (shown.length > 0) {
    blocks.push(
      input({
        blockId: withBlockId(current.id),
        label: t('combine.with.label'),
        hint: t('combine.with.hint'),
        dispatchAction: true,
        element: multiStaticSelect({
          actionId: COMBINE.with,
          placeholder: t('combine.with.placeholder'),
          options: shown.map((c) => candidateOption(t, c)),
          initialValues: selected,
        }),
      }),
    );
    const notListed = eligible.length - shown.length + (model.unexamined ?? 0);
    if (notListed > 0) {
      blocks.push(
        context([t('combine.with.more', { count: notListed, max: LIMITS.selectOptions })]),
      );
    }
  } else {
    blocks.push(section(t('combine.no_candidates')));
  }
  const quota = summedQuota(current, shown, selected);
  blocks.push(
    section(
      t('combine.quota', {
        total: quota.total,
        current: current.domainQuota,
        added: quota.added,
        count: quota.count,
      }),
      { blockId: COMBINE.quota },
    ),
  );
  if (ineligible.length > 0 || model.unlisted > 0) {
    const listed = ineligible.slice(0, MAX_INELIGIBLE_SHOWN).map(({ certificate, reasons }) =>
      t('combine.ineligible.item', {
        name: escapeMrkdwn(certificate.name),
        id: certificate.id,
        reasons: reasons.map(why).join(' '),
      }),
    );
    const hidden = ineligible.length - listed.length + model.unlisted;
    blocks.push(
      divider(),
      context([
        t('combine.ineligible.heading'),
        ...listed,
        ...(hidden > 0 ? [t('common.more', { count: hidden })] : []),
      ]),
    );
  }
  const submittable = searching || shown.length > 0;
  if (submittable) {
    blocks.push(
      input({
        blockId: COMBINE.confirm,
        label: t('combine.confirm.label'),
        element: checkboxes({
          actionId: COMBINE.confirm,
          options: [option(t('combine.confirm.option'), COMBINE.confirmed)],
        }),
      }),
    );
  }
  blocks.push(context([t('combine.after')]));
  return modal({
    callbackId: COMBINE.callback,
    title: t('combine.modal.title'),
    ...(submittable ? { submit: t('combine.modal.submit') } : {}),
    close: t(submittable ? 'common.cancel' : 'common.close'),
    blocks,
    privateMetadata: encodeMetadata(combineMetadataSchema, {
      c: current.id,
      ch: model.channelId,
    }),
  });
}

/** The modal after picking an instance that cannot be combined into: pick another one. */
export function combineRefusedModal(
  t: Translate,
  model: {
    readonly choices: readonly Certificate[];
    readonly choicesTotal?: number;
    readonly pickedId: string;
    readonly reason: string;
    readonly channelId: string;
  },
): ModalView {
  return modal({
    callbackId: COMBINE.callback,
    title: t('combine.modal.title'),
    close: t('common.close'),
    blocks: [
      ...pickSection(t, model.choices, model.pickedId, undefined, model.choicesTotal),
      section(t('combine.refused', { id: escapeMrkdwn(model.pickedId), reason: model.reason })),
    ],
    privateMetadata: encodeMetadata(combineMetadataSchema, {
      c: model.pickedId,
      ch: model.channelId,
    }),
  });
}

export interface CombineForm {
  readonly pickedId: string | undefined;
  readonly selected: readonly string[];
  readonly confirmed: boolean;
}

/** What the person chose; the candidates are read from the current instance's block. */
export function readCombineForm(view: SubmittedView, currentId: string): CombineForm {
  const state = readViewState(view);
  return {
    pickedId: state.selected(COMBINE.pick, COMBINE.current),
    selected: state.selectedMany(withBlockId(currentId), COMBINE.with),
    confirmed: state.selectedMany(COMBINE.confirm).includes(COMBINE.confirmed),
  };
}
