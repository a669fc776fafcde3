import { z } from 'zod';
import type { ValidationMethod } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { Contact } from '../../../domain/contact.js';
import { remainingDomainSlots, splitDomainInput } from '../../../domain/domain-names.js';
import { type Spec, wildcardPolicy } from '../../../domain/spec.js';
import { validationMethodsFor } from '../../../usecases/apply-for-certificate.js';
import {
  checkboxes,
  context,
  escapeMrkdwn,
  externalSelect,
  fallbackText,
  input,
  type KnownBlock,
  type ModalView,
  modal,
  option,
  plainTextInput,
  radioButtons,
  section,
  staticSelect,
  truncate,
} from '../../blocks.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { newContactInputs } from '../../views/modal-parts.js';

/**
 * The apply modal (提交证书申请) as pure Block Kit: what it shows depends only on its inputs, so
 * the opening command and every live update (typing domains, choosing an instance) build the
 * same view. Block ids stay the same between updates so Slack keeps what the person typed; only
 * the validation-method block changes its id with the set of methods it offers, so a choice
 * the new instance does not allow is cleared rather than kept.
 */
export const APPLY_IDS = {
  callback: 'apply.submit',
  intro: 'apply.intro',
  /** Block and action id of the instance select (dispatches on change). */
  instance: 'apply.instance',
  instanceNote: 'apply.instance.note',
  /** Block and action id of the domains input (dispatches on every character). */
  domains: 'apply.domains',
  remaining: 'apply.domains.remaining',
  /** The method block id is this prefix plus the methods offered, e.g. `apply.method.dns-file`. */
  methodPrefix: 'apply.method.',
  method: 'apply.method',
  contact: 'apply.contact',
  contactNote: 'apply.contact.note',
  contactName: 'apply.contact.name',
  contactEmail: 'apply.contact.email',
  contactPhone: 'apply.contact.phone',
  hosting: 'apply.hosting',
} as const;

/** The contact option that means "create the contact typed below". */
export const NEW_CONTACT = 'new';
/** The value of the one hosting checkbox. */
export const HOSTING_ON = 'on';
/** Longest domains text the input accepts (Slack's own cap for plain_text_input). */
export const MAX_DOMAINS_TEXT = LIMITS.plainTextInputMaxLength;

const ALL_METHODS: readonly ValidationMethod[] = ['dns', 'file', 'email'];

/** What travels in private_metadata: the channel the command came from, for the reply. */
export const applyMetadataSchema = z.object({
  c: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
export type ApplyMetadata = z.infer<typeof applyMetadataSchema>;

export interface ApplyModalModel {
  /** The first instances the person may apply for, by name (at most a select's 100). */
  readonly instances: readonly Certificate[];
  /**
   * How many they may apply for in all (default: `instances.length`). Past a select's 100 the
   * modal offers a search (an external select served by `app.options`).
   */
  readonly total?: number;
  /** The chosen instance, when it is not among `instances`. */
  readonly selected?: Certificate | undefined;
  /** The chosen instance's id; ignored when it is neither `selected` nor among `instances`. */
  readonly selectedId?: string | undefined;
  /** What is typed in the domains box, for the "N more" line. */
  readonly domainsText?: string | undefined;
  readonly contacts: readonly Contact[];
  /** Hosting credits the team has left. */
  readonly credits: number;
  /** Encoded `ApplyMetadata`. */
  readonly privateMetadata: string;
}

/** The block id of the validation-method input offering `methods`. */
export function methodBlockId(methods: readonly ValidationMethod[]): string {
  return `${APPLY_IDS.methodPrefix}${methods.join('-')}`;
}

/** The option of one instance, as the static select and the search offer it. */
export function instanceOption(t: Translate, cert: Certificate) {
  return option(instanceLabel(t, cert), cert.id);
}

/** "You can enter N more domain(s)" for what is typed, against the instance's quota. */
export function remainingLine(
  t: Translate,
  instance: Certificate | undefined,
  domainsText: string,
): string {
  if (!instance) return t('apply.domains.chooseInstance');
  const quota = instance.domainQuota;
  const entered = splitDomainInput(domainsText.slice(0, MAX_DOMAINS_TEXT)).length;
  const line = t('apply.domains.remaining', { count: remainingDomainSlots(quota, entered) });
  return entered > quota
    ? `${line} ${t('apply.domains.over', { count: entered - quota, quota })}`
    : line;
}

export function domainTypeLabel(t: Translate, domainType: Spec['domainType']): string {
  return t(`apply.domainType.${domainType}` as MessageKey);
}

/**
 * Name, spec and quota on one line, within an option's 75 characters: the name is cut first
 * (to 32), then the spec, so the quota always shows.
 */
export function instanceLabel(t: Translate, cert: Certificate): string {
  const name = truncate(cert.name, 32);
  const spec = t('apply.instance.spec', {
    brand: truncate(cert.spec.brand, 16),
    validationType: cert.spec.validationType,
    domainType: domainTypeLabel(t, cert.spec.domainType),
    grade: truncate(cert.spec.grade, 12),
  });
  const line = (specText: string) =>
    t('apply.instance.option', {
      name: cert.state === 'validation_failed' ? t('apply.instance.resubmit', { name }) : name,
      spec: specText,
      quota: t('apply.instance.quota', { quota: cert.domainQuota }),
    });
  const room = LIMITS.optionText - line('').length;
  return truncate(line(truncate(spec, Math.max(room, 1))), LIMITS.optionText);
}

export function applyModal(t: Translate, model: ApplyModalModel): ModalView {
  const selected = model.selected ?? model.instances.find((c) => c.id === model.selectedId);
  const total = Math.max(model.total ?? 0, model.instances.length);
  const searched = total > LIMITS.selectOptions;
  const blocks: KnownBlock[] = [section(t('apply.modal.intro'), { blockId: APPLY_IDS.intro })];

  blocks.push(
    input({
      blockId: APPLY_IDS.instance,
      label: t('apply.instance.label'),
      dispatchAction: true,
      element: searched
        ? externalSelect({
            actionId: APPLY_IDS.instance,
            placeholder: t('apply.instance.search_placeholder'),
            minQueryLength: 0,
            ...(selected ? { initialOption: instanceOption(t, selected) } : {}),
          })
        : staticSelect({
            actionId: APPLY_IDS.instance,
            placeholder: t('apply.instance.placeholder'),
            options: [
              ...(selected && !model.instances.some((c) => c.id === selected.id) ? [selected] : []),
              ...model.instances,
            ]
              .slice(0, LIMITS.selectOptions)
              .map((c) => instanceOption(t, c)),
            ...(selected ? { initialValue: selected.id } : {}),
          }),
    }),
  );
  if (searched) {
    blocks.push(cappedNote(t('apply.instance.search', { total }), APPLY_IDS.instanceNote));
  }

  const policy = selected ? wildcardPolicy(selected.spec.domainType) : undefined;
  blocks.push(
    input({
      blockId: APPLY_IDS.domains,
      label: t('apply.domains.label'),
      hint: t(policy ? `apply.domains.hint.${policy}` : 'apply.domains.hint.none'),
      dispatchAction: true,
      element: {
        ...plainTextInput({
          actionId: APPLY_IDS.domains,
          multiline: true,
          maxLength: MAX_DOMAINS_TEXT,
          placeholder: t('apply.domains.placeholder'),
        }),
        dispatch_action_config: { trigger_actions_on: ['on_character_entered'] },
      },
    }),
    withId(context([remainingLine(t, selected, model.domainsText ?? '')]), APPLY_IDS.remaining),
  );

  const methods = selected ? validationMethodsFor(selected) : ALL_METHODS;
  blocks.push(
    input({
      blockId: methodBlockId(methods),
      label: t('apply.method.label'),
      ...(selected ? {} : { hint: t('apply.method.hint.any') }),
      element: radioButtons({
        actionId: APPLY_IDS.method,
        options: methods.map((m) => option(t(`apply.method.${m}`), m)),
        initialValue: methods[0],
      }),
    }),
  );

  const contacts = model.contacts.slice(0, LIMITS.selectOptions - 1);
  blocks.push(
    input({
      blockId: APPLY_IDS.contact,
      label: t('apply.contact.label'),
      hint: t('apply.contact.hint'),
      element: staticSelect({
        actionId: APPLY_IDS.contact,
        placeholder: t('apply.contact.placeholder'),
        options: [
          ...contacts.map((c) =>
            option(t('apply.contact.option', { name: c.name, email: c.email }), c.id),
          ),
          option(t('apply.contact.new'), NEW_CONTACT),
        ],
        ...(contacts.length === 0 ? { initialValue: NEW_CONTACT } : {}),
      }),
    }),
  );
  if (contacts.length < model.contacts.length) {
    blocks.push(
      cappedNote(
        t('apply.contact.capped', { shown: contacts.length, total: model.contacts.length }),
        APPLY_IDS.contactNote,
      ),
    );
  }
  blocks.push(
    ...newContactInputs({
      blockIds: {
        name: APPLY_IDS.contactName,
        email: APPLY_IDS.contactEmail,
        phone: APPLY_IDS.contactPhone,
      },
      labels: {
        name: t('apply.contact.name.label'),
        email: t('apply.contact.email.label'),
        phone: t('apply.contact.phone.label'),
      },
      nameHint: t('apply.contact.new.hint'),
      // Used only with "New contact": the handler checks them then.
      optional: true,
    }),
    input({
      blockId: APPLY_IDS.hosting,
      label: t('apply.hosting.label'),
      // An instance holding a credit (its earlier request failed validation) uses its own.
      hint:
        selected?.hostingCredit === 'held'
          ? t('apply.hosting.held')
          : model.credits > 0
            ? t('apply.hosting.hint')
            : t('apply.hosting.none'),
      optional: true,
      element: checkboxes({
        actionId: APPLY_IDS.hosting,
        options: [option(t('apply.hosting.option', { credits: model.credits }), HOSTING_ON)],
      }),
    }),
  );

  return modal({
    callbackId: APPLY_IDS.callback,
    title: t('apply.modal.title'),
    submit: t('apply.modal.submit'),
    close: t('common.cancel'),
    blocks,
    privateMetadata: model.privateMetadata,
  });
}

/** How many bound domains the confirmation lists before "…and N more". */
export const MAX_LISTED_DOMAINS = 50;

/** The success message: the application id, the instance and the domains, one per line. */
export function sentMessage(
  t: Translate,
  applicationId: string,
  instanceName: string,
  domains: readonly string[],
  hosting: boolean,
): string {
  const listed = domains.slice(0, MAX_LISTED_DOMAINS);
  const lines = [
    t('apply.sent', { id: escapeMrkdwn(applicationId), instance: escapeMrkdwn(instanceName) }),
    t('apply.sent.domains'),
    ...listed.map((d) => `• ${escapeMrkdwn(d)}`),
  ];
  if (domains.length > listed.length) {
    lines.push(t('common.more', { count: domains.length - listed.length }));
  }
  if (hosting) lines.push(t('apply.sent.hosting'));
  return fallbackText(lines.join('\n'));
}

function withId<T extends KnownBlock>(block: T, blockId: string): T {
  return { ...block, block_id: blockId };
}

/** "Showing N of M": a select holds at most 100 options. */
function cappedNote(text: string, blockId: string): KnownBlock {
  return withId(context([escapeMrkdwn(text)]), blockId);
}
