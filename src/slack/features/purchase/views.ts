import { z } from 'zod';
import { DOMAIN_TYPES, VALIDATION_TYPES } from '../../../domain/spec.js';
import {
  input,
  type KnownBlock,
  type ModalView,
  modal,
  option,
  plainTextInput,
  radioButtons,
  section,
  staticSelect,
} from '../../blocks.js';
import type { Translate } from '../../i18n/index.js';
import { encodeMetadata } from '../../metadata.js';
import { readViewState, type SubmittedView } from '../../view-state.js';
import { domainTypeLabel } from '../../views/format.js';

/** Ids of the purchase modal; each input's action_id is its block_id. */
export const PURCHASE = {
  callback: 'purchase.submit',
  kind: 'purchase.kind',
  brand: 'purchase.brand',
  validationType: 'purchase.validation_type',
  domainType: 'purchase.domain_type',
  grade: 'purchase.grade',
  validityYears: 'purchase.validity_years',
  domainQuota: 'purchase.domain_quota',
  quantity: 'purchase.quantity',
  team: 'purchase.team',
  name: 'purchase.name',
  count: 'purchase.count',
  quota: 'purchase.quota',
} as const;

export const PURCHASE_KINDS = ['instances', 'hosting_credits'] as const;
export type PurchaseKind = (typeof PURCHASE_KINDS)[number];

/** Which form is shown, and the channel to answer in. */
export const purchaseMetadataSchema = z.object({
  k: z.enum(PURCHASE_KINDS),
  ch: z.string().max(64),
});
export type PurchaseMetadata = z.infer<typeof purchaseMetadataSchema>;

/** The input block of each field of `purchaseRecordSchema`, so its issues land there. */
export const FIELD_BLOCKS: Readonly<Record<string, string>> = {
  brand: PURCHASE.brand,
  validationType: PURCHASE.validationType,
  domainType: PURCHASE.domainType,
  grade: PURCHASE.grade,
  validityYears: PURCHASE.validityYears,
  domainQuota: PURCHASE.domainQuota,
  quantity: PURCHASE.quantity,
  team: PURCHASE.team,
  name: PURCHASE.name,
  count: PURCHASE.count,
};

const VALIDITY_YEARS = ['1', '2', '3'] as const;

function text(
  blockId: string,
  label: string,
  options: {
    optional?: boolean;
    max?: number;
    initial?: string;
    hint?: string;
    placeholder?: string;
  } = {},
): KnownBlock {
  return input({
    blockId,
    label,
    optional: options.optional ?? false,
    ...(options.hint ? { hint: options.hint } : {}),
    element: plainTextInput({
      actionId: blockId,
      ...(options.max ? { maxLength: options.max } : {}),
      ...(options.initial ? { initialValue: options.initial } : {}),
      ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    }),
  });
}

/**
 * The purchase modal: a radio switches between certificate instances and hosting credits (the
 * form is re-rendered on change); the fields mirror `purchaseRecordSchema`.
 */
/**
 * The purchase modal; `quota` (CAS package quota lines, see quota.ts) is shown under
 * the intro when a route sends certificates to Alibaba Cloud CAS.
 */
export function purchaseModal(
  t: Translate,
  meta: PurchaseMetadata,
  quota?: readonly string[],
): ModalView {
  const blocks: KnownBlock[] = [
    section(t('purchase.modal.intro')),
    ...(quota && quota.length > 0 ? [section(quota.join('\n'), { blockId: PURCHASE.quota })] : []),
    input({
      blockId: PURCHASE.kind,
      label: t('purchase.kind.label'),
      dispatchAction: true,
      element: radioButtons({
        actionId: PURCHASE.kind,
        options: PURCHASE_KINDS.map((k) => option(t(`purchase.kind.${k}`), k)),
        initialValue: meta.k,
      }),
    }),
  ];
  if (meta.k === 'instances') {
    blocks.push(
      text(PURCHASE.brand, t('purchase.brand.label'), {
        max: 40,
        placeholder: t('purchase.brand.placeholder'),
      }),
      input({
        blockId: PURCHASE.validationType,
        label: t('purchase.validation_type.label'),
        element: staticSelect({
          actionId: PURCHASE.validationType,
          options: VALIDATION_TYPES.map((type) => option(type, type)),
        }),
      }),
      input({
        blockId: PURCHASE.domainType,
        label: t('purchase.domain_type.label'),
        element: staticSelect({
          actionId: PURCHASE.domainType,
          options: DOMAIN_TYPES.map((type) => option(domainTypeLabel(t, type), type)),
        }),
      }),
      text(PURCHASE.grade, t('purchase.grade.label'), { max: 40, initial: 'standard' }),
      input({
        blockId: PURCHASE.validityYears,
        label: t('purchase.validity_years.label'),
        element: staticSelect({
          actionId: PURCHASE.validityYears,
          options: VALIDITY_YEARS.map((y) =>
            option(t('purchase.validity_years.option', { years: y }), y),
          ),
          initialValue: '1',
        }),
      }),
      text(PURCHASE.domainQuota, t('purchase.domain_quota.label'), {
        max: 3,
        initial: '1',
        hint: t('purchase.domain_quota.hint'),
      }),
      text(PURCHASE.quantity, t('purchase.quantity.label'), {
        max: 3,
        initial: '1',
        hint: t('purchase.quantity.hint'),
      }),
      text(PURCHASE.team, t('purchase.team.label'), { max: 32, hint: t('purchase.team.hint') }),
      text(PURCHASE.name, t('purchase.name.label'), {
        optional: true,
        max: 64,
        hint: t('purchase.name.hint'),
      }),
    );
  } else {
    blocks.push(
      text(PURCHASE.team, t('purchase.team.label'), { max: 32, hint: t('purchase.team.hint') }),
      text(PURCHASE.count, t('purchase.count.label'), {
        max: 4,
        initial: '1',
        hint: t('purchase.count.hint'),
      }),
    );
  }
  return modal({
    callbackId: PURCHASE.callback,
    title: t('purchase.modal.title'),
    submit: t('purchase.modal.submit'),
    close: t('common.cancel'),
    blocks,
    privateMetadata: encodeMetadata(purchaseMetadataSchema, meta),
  });
}

/** A whole number as typed; undefined when blank, NaN when not a number (zod says which). */
function whole(value: string | undefined): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return undefined;
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * The record as the person filled it in, not yet validated: `purchaseRecordSchema` decides,
 * and its issues are shown on the blocks `FIELD_BLOCKS` names.
 */
export function readPurchaseForm(kind: PurchaseKind, view: SubmittedView): Record<string, unknown> {
  const state = readViewState(view);
  const typed = (id: string) => state.text(id);
  const chosen = (id: string) => state.selected(id);
  if (kind === 'hosting_credits') {
    return { kind, team: typed(PURCHASE.team) ?? '', count: whole(typed(PURCHASE.count)) };
  }
  const name = typed(PURCHASE.name)?.trim();
  return {
    kind,
    brand: typed(PURCHASE.brand) ?? '',
    validationType: chosen(PURCHASE.validationType),
    domainType: chosen(PURCHASE.domainType),
    grade: typed(PURCHASE.grade) ?? '',
    validityYears: whole(chosen(PURCHASE.validityYears)),
    domainQuota: whole(typed(PURCHASE.domainQuota)),
    quantity: whole(typed(PURCHASE.quantity)),
    team: typed(PURCHASE.team) ?? '',
    ...(name ? { name } : {}),
  };
}

/** `value` if it is a kind we offer (option values come back untrusted). */
export function purchaseKindOf(value: string | undefined): PurchaseKind | undefined {
  const parsed = z.enum(PURCHASE_KINDS).safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The kind the radio shows now (after a change), if it is one we offer. */
export function chosenKind(view: SubmittedView): PurchaseKind | undefined {
  return purchaseKindOf(readViewState(view).selected(PURCHASE.kind));
}
