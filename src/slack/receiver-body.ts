import { z } from 'zod';

/**
 * The shape of a request body that Bolt can route without throwing. Bolt reads fields of the
 * parsed body unchecked (`body.ssl_check`, `body.user.team_id`, `'channel' in body.event`, ...):
 * a signed `null`, `0` or `{"type":"block_actions"}` would throw inside Bolt, either outside any
 * handler (no HTTP answer, an unhandled rejection) or as a 500. Bodies are checked here, in the
 * order Bolt's own dispatch looks at them, for exactly the fields it reads before a listener runs;
 * listeners still validate their own inputs (view state, metadata, button values).
 */
const text = z.string();
const userRef = z.looseObject({ id: text, team_id: text.optional() });
const channelRef = z.looseObject({ id: text });
/** `team` and `enterprise` are null on org-wide installs. */
const orgRef = z.looseObject({ id: text.optional(), enterprise_id: text.nullish() }).nullish();
const interactive = {
  user: userRef,
  team: orgRef,
  enterprise: orgRef,
  channel: channelRef.optional(),
  trigger_id: text.optional(),
  response_url: text.optional(),
  is_enterprise_install: z.boolean().optional(),
};

const urlVerification = z.looseObject({ type: z.literal('url_verification'), challenge: text });

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  event_id: text.optional(),
  team_id: text.optional(),
  enterprise_id: text.nullish(),
  authorizations: z
    .array(
      z.looseObject({
        team_id: text.nullish(),
        enterprise_id: text.nullish(),
        is_enterprise_install: z.boolean().optional(),
      }),
    )
    .optional(),
  event: z.looseObject({
    type: text,
    user: z.union([text, userRef]).optional(),
    channel: z.union([text, z.looseObject({ id: text.optional() })]).optional(),
    channel_id: text.optional(),
    item: z.looseObject({}).optional(),
    subteam: z.looseObject({}).optional(),
    subtype: text.optional(),
    bot_id: text.optional(),
  }),
});

/** Form fields: a repeated field arrives as an array, which is refused here. */
const slashCommand = z.looseObject({
  command: text,
  user_id: text,
  text: text.optional(),
  channel_id: text.optional(),
  team_id: text.optional(),
  enterprise_id: text.optional(),
  trigger_id: text.optional(),
  response_url: text.optional(),
  is_enterprise_install: z.union([text, z.boolean()]).optional(),
});

const options = z.looseObject({
  ...interactive,
  type: z.enum(['block_suggestion', 'dialog_suggestion', 'interactive_message']),
  value: text.optional(),
  name: text.optional(),
  action_id: text.optional(),
  block_id: text.optional(),
  callback_id: text.optional(),
});

const blockActions = z.looseObject({
  ...interactive,
  type: z.literal('block_actions'),
  actions: z
    .array(z.looseObject({ action_id: text, block_id: text.optional(), type: text.optional() }))
    .min(1),
  view: z.looseObject({ id: text }).optional(),
});
const legacyActions = z.looseObject({
  ...interactive,
  type: z.enum(['interactive_message', 'dialog_submission']),
  callback_id: text,
  actions: z.array(z.looseObject({})).min(1).optional(),
});

const view = z.looseObject({
  id: text,
  callback_id: text,
  private_metadata: text.optional(),
  state: z.looseObject({}).optional(),
  app_installed_team_id: text.optional(),
});
const viewAction = z.looseObject({
  ...interactive,
  type: z.enum(['view_submission', 'view_closed']),
  view,
});

const shortcut = z.looseObject({
  ...interactive,
  type: z.literal('shortcut'),
  callback_id: text,
  trigger_id: text,
});
const messageAction = z.looseObject({
  ...interactive,
  type: z.literal('message_action'),
  callback_id: text,
  trigger_id: text,
  channel: channelRef,
  message: z.looseObject({}),
});

/**
 * Why Bolt could not route `body`, in a few words for a 400 answer and the log; undefined when
 * it can. (The form `ssl_check=1` probe is answered before this by Bolt and is not a body here.)
 */
export function slackBodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'the request body is not an object';
  const fields = body as Record<string, unknown>;
  const [kind, schema] = routeOf(fields);
  if (!schema) return 'unsupported request type';
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') : kind;
  return `malformed ${kind}: ${where.slice(0, 80)}`;
}

/** Bolt's own dispatch order (getTypeAndConversation): the first field present decides. */
function routeOf(body: Record<string, unknown>): [string, z.ZodType | undefined] {
  if (body.type === 'url_verification') return ['url_verification', urlVerification];
  if (body.event !== undefined) return ['event', eventCallback];
  if (body.command !== undefined) return ['slash command', slashCommand];
  if (body.name !== undefined || body.type === 'block_suggestion') return ['options', options];
  if (body.actions !== undefined || body.type === 'dialog_submission')
    return ['action', body.type === 'block_actions' ? blockActions : legacyActions];
  if (body.type === 'shortcut') return ['shortcut', shortcut];
  if (body.type === 'message_action') return ['message action', messageAction];
  if (body.type === 'view_submission' || body.type === 'view_closed') return ['view', viewAction];
  return ['request', undefined];
}
