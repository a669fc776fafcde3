import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
} from '@slack/bolt';
import { z } from 'zod';
import { VALIDATION_METHODS } from '../../../domain/application.js';
import { splitDomainInput } from '../../../domain/domain-names.js';
import { availableCredits } from '../../../domain/hosting.js';
import { type Refusal, refuse } from '../../../domain/result.js';
import { canApplyFor } from '../../../domain/states.js';
import {
  type ApplyInput,
  applicableInstance,
  applicableInstances,
  applyForCertificate,
} from '../../../usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../../usecases/context.js';
import { teamContacts, teamHostingCredits } from '../../../usecases/queries.js';
import { escapeParams } from '../../blocks.js';
import {
  type SlackDeps,
  type SlackFeature,
  type SubcommandArgs,
  translatorFor,
} from '../../deps.js';
import { explain, type Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { decodeMetadata, encodeMetadata } from '../../metadata.js';
import { type ModalOutcome, openModalWhenReady, platformError, updateView } from '../../replies.js';
import {
  closeAndTell,
  fieldErrors,
  onSubmission,
  type Submission,
  type SubmitOutcome,
} from '../../submission.js';
import { readViewState, suggestionQuery } from '../../view-state.js';
import { placeholderModals } from '../../views/modal-parts.js';
import {
  APPLY_IDS,
  type ApplyMetadata,
  applyMetadataSchema,
  applyModal,
  HOSTING_ON,
  instanceOption,
  MAX_DOMAINS_TEXT,
  NEW_CONTACT,
  sentMessage,
} from './views.js';

/**
 * 提交证书申请: `/cert apply [instance]` opens a modal offering only the instances the person
 * may apply for; typing domains or choosing an instance refreshes its hints in place
 * (views.update with the view's hash); the submission goes to `applyForCertificate`, whose
 * refusals come back as inline errors on the input they concern.
 */

/** What the person has filled in so far (Slack's untrusted state); malformed reads as empty. */
export interface ApplyForm {
  readonly instanceId?: string | undefined;
  readonly domainsText: string;
  /** The id of the method block present in the view, to key its errors to. */
  readonly methodBlockId?: string | undefined;
  readonly method?: string | undefined;
  readonly contact?: string | undefined;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly hosting: boolean;
}

export function readForm(view: unknown): ApplyForm {
  const state = readViewState(view);
  const text = (blockId: string) => state.text(blockId) ?? '';
  const methodBlockId = state.blockIds.find((id) => id.startsWith(APPLY_IDS.methodPrefix));
  return {
    instanceId: state.selected(APPLY_IDS.instance),
    domainsText: text(APPLY_IDS.domains).slice(0, MAX_DOMAINS_TEXT),
    methodBlockId,
    method: methodBlockId ? state.selected(methodBlockId, APPLY_IDS.method) : undefined,
    contact: state.selected(APPLY_IDS.contact),
    name: text(APPLY_IDS.contactName),
    email: text(APPLY_IDS.contactEmail),
    phone: text(APPLY_IDS.contactPhone),
    hosting: state.selectedMany(APPLY_IDS.hosting).includes(HOSTING_ON),
  };
}

const instanceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);
const methodSchema = z.enum(VALIDATION_METHODS);
const contactChoiceSchema = z.string().min(1).max(75);

/** The input block a refusal concerns, so the person sees it next to what they typed. */
export function errorBlockFor(refusal: Refusal, methodBlockId: string | undefined): string {
  const { code } = refusal;
  if (code.startsWith('domain.')) return APPLY_IDS.domains;
  if (code === 'contact.invalid' || code === 'contact.taken') {
    switch (refusal.params?.field) {
      case 'name':
        return APPLY_IDS.contactName;
      case 'email':
        return APPLY_IDS.contactEmail;
      case 'phone':
        return APPLY_IDS.contactPhone;
      default:
        return APPLY_IDS.contact;
    }
  }
  if (code.startsWith('contact.')) return APPLY_IDS.contact;
  if (code.startsWith('hosting.')) return APPLY_IDS.hosting;
  if (code === 'apply.validation_method' && methodBlockId) return methodBlockId;
  // apply.state, request.open, certificate.*, conflict.* and anything unforeseen.
  return APPLY_IDS.instance;
}

function metadataOf(text: string | undefined): ApplyMetadata {
  try {
    return decodeMetadata(applyMetadataSchema, text);
  } catch {
    return {};
  }
}

function encodeApplyMetadata(metadata: ApplyMetadata): string {
  const checked = applyMetadataSchema.safeParse(metadata);
  return encodeMetadata(applyMetadataSchema, checked.success ? checked.data : {});
}

/**
 * What the modal needs besides the form: a few Redis reads whatever the team's size (the first
 * page of its applicable instances, the chosen one, contacts, credits).
 */
async function loadModalData(ctx: UseCaseContext, userId: string, selectedId?: string) {
  const wanted = selectedId !== undefined && instanceIdSchema.safeParse(selectedId).success;
  const [page, selected, contacts, credits] = await Promise.all([
    // Past a select's 100 the modal searches (external select): only the count is read.
    applicableInstances(ctx, userId, { readUpTo: LIMITS.selectOptions }),
    wanted ? applicableInstance(ctx, userId, selectedId) : undefined,
    teamContacts(ctx, userId),
    teamHostingCredits(ctx, userId),
  ]);
  return {
    instances: page.instances,
    total: page.total,
    selected,
    contacts,
    credits: availableCredits(credits),
  };
}

/** Why `id` is not among the person's applicable instances, in the use case's own terms. */
async function whyNotApplicable(ctx: UseCaseContext, userId: string, id: string): Promise<Refusal> {
  const shown = id.slice(0, 64);
  if (!instanceIdSchema.safeParse(id).success) {
    return refuse('certificate.not_found', { id: shown }).refusal;
  }
  const cert = await ctx.store.certificates.get(id);
  if (!cert) return refuse('certificate.not_found', { id }).refusal;
  if (cert.team !== ctx.teams.teamOf(userId)) {
    return refuse('certificate.other_team', { id, team: cert.team }).refusal;
  }
  if (!canApplyFor(cert.state) || !cert.openApplicationId) {
    return refuse('apply.state', { id, state: cert.state }).refusal;
  }
  return refuse('request.open', { id, applicationId: cert.openApplicationId }).refusal;
}

/** Refusal text for mrkdwn: parameters (ids typed by the person) are escaped. */
function explainMrkdwn(t: Translate, refusal: Refusal): string {
  return explain(t, { code: refusal.code, params: escapeParams(refusal.params) });
}

// --- /cert apply [instance] ---

async function openApplyModal(args: SubcommandArgs): Promise<void> {
  const { deps, client, respond, t, userId, channelId, triggerId } = args;
  const wanted = args.args[0];
  const build = async (): Promise<ModalOutcome> => {
    const data = await loadModalData(deps.useCases, userId, wanted);
    if (wanted !== undefined && !data.selected) {
      const refusal = await whyNotApplicable(deps.useCases, userId, wanted);
      return { text: explainMrkdwn(t, refusal) };
    }
    if (data.total === 0) return { text: t('apply.none') };
    const only = data.total === 1 ? data.instances[0] : undefined;
    const view = applyModal(t, {
      ...data,
      selected: data.selected ?? only,
      privateMetadata: encodeApplyMetadata({ c: channelId }),
    });
    return { view };
  };
  try {
    await openModalWhenReady({
      client,
      deps,
      feature: 'apply',
      triggerId,
      placeholder: placeholderModals(t, t('apply.modal.title')),
      build,
      tell: (text) => respond({ response_type: 'ephemeral', text }),
    });
  } catch (error) {
    deps.logger.warn(`apply: views.open failed: ${platformError(error) ?? String(error)}`);
    await respond({ response_type: 'ephemeral', text: t('apply.openFailed') });
  }
}

// --- live updates: typing domains, choosing an instance ---

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

function refreshModal(deps: SlackDeps) {
  return async ({ ack, body, client }: ActionArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view || view.callback_id !== APPLY_IDS.callback) return;
    const userId = body.user.id;
    const form = readForm(view);
    const [t, data] = await Promise.all([
      translatorFor(deps, userId),
      loadModalData(deps.useCases, userId, form.instanceId),
    ]);
    const updated = applyModal(t, {
      ...data,
      domainsText: form.domainsText,
      privateMetadata: encodeApplyMetadata(metadataOf(view.private_metadata)),
    });
    await updateView(client, deps, 'apply', view, updated);
  };
}

// --- searching a long instance list (the external select) ---

type SuggestionArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

/**
 * Options for the instance search: the first 100 whose name or id starts with what is typed
 * (the first 100 by name for nothing typed), read from the team's index. Slack shows them only
 * if they come back within 3 s, in the ack itself.
 */
function suggestInstances(deps: SlackDeps) {
  return async ({ ack, body }: SuggestionArgs): Promise<void> => {
    const userId = body.user.id;
    const query = suggestionQuery(body.value);
    const [t, page] = await Promise.all([
      translatorFor(deps, userId),
      applicableInstances(deps.useCases, userId, { query }),
    ]);
    await ack({ options: page.instances.map((c) => instanceOption(t, c)) });
  };
}

// --- submission ---

/** The use case's input from the form, or the mistakes to show on its fields. */
function applyInput(
  t: Translate,
  form: ApplyForm,
  requesterId: string,
): { input: ApplyInput } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const instanceId = instanceIdSchema.safeParse(form.instanceId);
  if (!instanceId.success) errors[APPLY_IDS.instance] = t('apply.error.instance');
  const method = methodSchema.safeParse(form.method);
  if (!method.success) errors[form.methodBlockId ?? APPLY_IDS.instance] ??= t('apply.error.method');
  const contact = contactChoiceSchema.safeParse(form.contact);
  if (!contact.success) errors[APPLY_IDS.contact] = t('apply.error.contact');
  if (!instanceId.success || !method.success || !contact.success) return { errors };
  return {
    input: {
      certificateId: instanceId.data,
      requesterId,
      domains: splitDomainInput(form.domainsText),
      validationMethod: method.data,
      contact:
        contact.data === NEW_CONTACT
          ? { kind: 'new', fields: { name: form.name, email: form.email, phone: form.phone } }
          : { kind: 'existing', contactId: contact.data },
      hosting: form.hosting,
    },
  };
}

async function submitApplication(
  deps: SlackDeps,
  submitted: Submission<ApplyMetadata>,
): Promise<SubmitOutcome> {
  const { userId, t, view, meta } = submitted;
  const form = readForm(view);
  const read = applyInput(t, form, userId);
  if ('errors' in read) return fieldErrors(read.errors);
  const result = await applyForCertificate(deps.useCases, read.input);
  if (!result.ok) {
    const block = errorBlockFor(result.refusal, form.methodBlockId);
    return fieldErrors({ [block]: explain(t, result.refusal) });
  }
  const { application, certificate } = result.value;
  const { domains, hosting } = application;
  const text = sentMessage(t, application.id, certificate.name, domains, hosting);
  return closeAndTell(submitted, meta.c, text);
}

/** The apply slice of the Slack side. */
export const applyFeature: SlackFeature = {
  name: 'apply',
  subcommands: { apply: openApplyModal },
  register(app: App, deps: SlackDeps) {
    const refresh = refreshModal(deps);
    app.action({ type: 'block_actions', action_id: APPLY_IDS.domains }, refresh);
    app.action({ type: 'block_actions', action_id: APPLY_IDS.instance }, refresh);
    app.view(
      APPLY_IDS.callback,
      onSubmission(
        deps,
        {
          feature: 'apply',
          metadata: metadataOf,
          unreadable: 'command.failed',
          unreadableOn: APPLY_IDS.instance,
          failedOn: { block: APPLY_IDS.instance, message: 'command.failed' },
        },
        (submitted) => submitApplication(deps, submitted),
      ),
    );
    app.options(
      { type: 'block_suggestion', action_id: APPLY_IDS.instance },
      suggestInstances(deps),
    );
  },
};
