import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { VALIDATION_METHODS } from '../../domain/application.js';
import { splitDomainInput } from '../../domain/domain-names.js';
import { availableCredits } from '../../domain/hosting.js';
import { type Refusal, refuse } from '../../domain/result.js';
import { canApplyFor } from '../../domain/states.js';
import {
  type ApplyInput,
  applicableInstances,
  applyForCertificate,
} from '../../usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../usecases/context.js';
import { teamContacts, teamHostingCredits } from '../../usecases/queries.js';
import { escapeMrkdwn } from '../blocks.js';
import {
  type SlackClient,
  type SlackDeps,
  type SlackFeature,
  type SubcommandArgs,
  translatorFor,
} from '../deps.js';
import { explain, type Translate } from '../i18n/index.js';
import { decodeMetadata, encodeMetadata } from '../metadata.js';
import {
  APPLY_IDS,
  type ApplyMetadata,
  applyMetadataSchema,
  applyModal,
  HOSTING_ON,
  MAX_DOMAINS_TEXT,
  NEW_CONTACT,
  sentMessage,
} from './apply-views.js';

/**
 * 提交证书申请: `/cert apply [instance]` opens a modal offering only the instances the person
 * may apply for; typing domains or choosing an instance refreshes its hints in place
 * (views.update with the view's hash); the submission goes to `applyForCertificate`, whose
 * refusals come back as inline errors on the input they concern.
 */

// --- reading what Slack sends back (untrusted) ---

const optionSchema = z.object({ value: z.string().max(150) });
const elementStateSchema = z.object({
  value: z.string().nullish(),
  selected_option: optionSchema.nullish(),
  selected_options: z.array(optionSchema).max(10).nullish(),
});
const stateValuesSchema = z.record(
  z.string().max(255),
  z.record(z.string().max(255), elementStateSchema),
);
type StateValues = z.infer<typeof stateValuesSchema>;

/** What the person has filled in so far; anything missing or malformed reads as empty. */
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

export function readForm(rawValues: unknown): ApplyForm {
  const parsed = stateValuesSchema.safeParse(rawValues ?? {});
  const values: StateValues = parsed.success ? parsed.data : {};
  const element = (blockId: string, actionId: string = blockId) => values[blockId]?.[actionId];
  const text = (blockId: string) => element(blockId)?.value ?? '';
  const methodBlockId = Object.keys(values).find((id) => id.startsWith(APPLY_IDS.methodPrefix));
  return {
    instanceId: element(APPLY_IDS.instance)?.selected_option?.value,
    domainsText: text(APPLY_IDS.domains).slice(0, MAX_DOMAINS_TEXT),
    methodBlockId,
    method: methodBlockId
      ? element(methodBlockId, APPLY_IDS.method)?.selected_option?.value
      : undefined,
    contact: element(APPLY_IDS.contact)?.selected_option?.value,
    name: text(APPLY_IDS.contactName),
    email: text(APPLY_IDS.contactEmail),
    phone: text(APPLY_IDS.contactPhone),
    hosting: (element(APPLY_IDS.hosting)?.selected_options ?? []).some(
      (o) => o.value === HOSTING_ON,
    ),
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

/** What the modal needs besides the form: a few Redis reads, nothing slow. */
async function loadModalData(ctx: UseCaseContext, userId: string) {
  const [instances, contacts, credits] = await Promise.all([
    applicableInstances(ctx, userId),
    teamContacts(ctx, userId),
    teamHostingCredits(ctx, userId),
  ]);
  return { instances, contacts, credits: availableCredits(credits) };
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
  const params = Object.fromEntries(
    Object.entries(refusal.params ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' ? escapeMrkdwn(v) : v,
    ]),
  );
  return explain(t, { code: refusal.code, params });
}

// --- /cert apply [instance] ---

async function openApplyModal(args: SubcommandArgs): Promise<void> {
  const { deps, client, respond, t, userId, channelId, triggerId } = args;
  const wanted = args.args[0];
  const data = await loadModalData(deps.useCases, userId);
  if (wanted !== undefined && !data.instances.some((c) => c.id === wanted)) {
    const refusal = await whyNotApplicable(deps.useCases, userId, wanted);
    await respond({ response_type: 'ephemeral', text: explainMrkdwn(t, refusal) });
    return;
  }
  if (data.instances.length === 0) {
    await respond({ response_type: 'ephemeral', text: t('apply.none') });
    return;
  }
  const only = data.instances.length === 1 ? data.instances[0]?.id : undefined;
  const view = applyModal(t, {
    ...data,
    selectedId: wanted ?? only,
    privateMetadata: encodeApplyMetadata({ c: channelId }),
  });
  try {
    await client.views.open({ trigger_id: triggerId, view });
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
    const form = readForm(view.state?.values);
    const [t, data] = await Promise.all([
      translatorFor(deps, userId),
      loadModalData(deps.useCases, userId),
    ]);
    const updated = applyModal(t, {
      ...data,
      selectedId: form.instanceId,
      domainsText: form.domainsText,
      privateMetadata: encodeApplyMetadata(metadataOf(view.private_metadata)),
    });
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: updated });
    } catch (error) {
      const code = platformError(error);
      // A newer keystroke already updated the view: its own update carries the latest state.
      if (code === 'hash_conflict') {
        deps.logger.debug('apply: skipped a stale modal update (hash_conflict)');
        return;
      }
      deps.logger.warn(`apply: views.update failed: ${code ?? String(error)}`);
    }
  };
}

// --- submission ---

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

function submitApplication(deps: SlackDeps) {
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const userId = body.user.id;
    const t = await translatorFor(deps, userId);
    const form = readForm(view.state.values);
    const errors: Record<string, string> = {};
    const instanceId = instanceIdSchema.safeParse(form.instanceId);
    if (!instanceId.success) errors[APPLY_IDS.instance] = t('apply.error.instance');
    const method = methodSchema.safeParse(form.method);
    if (!method.success)
      errors[form.methodBlockId ?? APPLY_IDS.instance] ??= t('apply.error.method');
    const contact = contactChoiceSchema.safeParse(form.contact);
    if (!contact.success) errors[APPLY_IDS.contact] = t('apply.error.contact');
    if (!instanceId.success || !method.success || !contact.success) {
      await ack({ response_action: 'errors', errors });
      return;
    }

    const input: ApplyInput = {
      certificateId: instanceId.data,
      requesterId: userId,
      domains: splitDomainInput(form.domainsText),
      validationMethod: method.data,
      contact:
        contact.data === NEW_CONTACT
          ? { kind: 'new', fields: { name: form.name, email: form.email, phone: form.phone } }
          : { kind: 'existing', contactId: contact.data },
      hosting: form.hosting,
    };
    let result: Awaited<ReturnType<typeof applyForCertificate>>;
    try {
      result = await applyForCertificate(deps.useCases, input);
    } catch (error) {
      deps.logger.error('apply: applyForCertificate failed', error);
      await ack({
        response_action: 'errors',
        errors: { [APPLY_IDS.instance]: t('apply.error.failed') },
      });
      return;
    }
    if (!result.ok) {
      await ack({
        response_action: 'errors',
        errors: { [errorBlockFor(result.refusal, form.methodBlockId)]: explain(t, result.refusal) },
      });
      return;
    }
    await ack();

    const { application, certificate } = result.value;
    const text = sentMessage(
      t,
      application.id,
      certificate.name,
      application.domains,
      application.hosting,
    );
    await tellRequester(deps, client, userId, metadataOf(view.private_metadata).c, text);
  };
}

/** Ephemeral in the channel the command came from; a DM when there is none or it fails. */
async function tellRequester(
  deps: SlackDeps,
  client: SlackClient,
  userId: string,
  channel: string | undefined,
  text: string,
): Promise<void> {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user: userId, text });
      return;
    } catch (error) {
      deps.logger.warn(
        `apply: postEphemeral failed (${platformError(error) ?? String(error)}); sending a DM`,
      );
    }
  }
  try {
    await client.chat.postMessage({ channel: userId, text });
  } catch (error) {
    deps.logger.error(
      `apply: could not tell ${userId} about their application: ${platformError(error) ?? String(error)}`,
    );
  }
}

/** The Web API error code (`hash_conflict`, `expired_trigger_id`, ...) of a platform error. */
function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The apply slice of the Slack side. */
export const applyFeature: SlackFeature = {
  subcommands: { apply: openApplyModal },
  register(app: App, deps: SlackDeps) {
    const refresh = refreshModal(deps);
    app.action({ type: 'block_actions', action_id: APPLY_IDS.domains }, refresh);
    app.action({ type: 'block_actions', action_id: APPLY_IDS.instance }, refresh);
    app.view(APPLY_IDS.callback, submitApplication(deps));
  },
};
