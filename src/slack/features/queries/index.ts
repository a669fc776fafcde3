import type {
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import {
  certificateStatus,
  LIST_SCOPES,
  type ListScope,
  listCertificates,
  teamContacts,
} from '../../../usecases/queries.js';
import type { SlackDeps, SlackFeature, SubcommandHandler } from '../../deps.js';
import { translatorFor } from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { decodeMetadata } from '../../metadata.js';
import { ephemeralReply } from '../../replies.js';
import { refusalText } from '../../views/format.js';
import {
  contactsMessage,
  LIST_PAGE_ACTIONS,
  LIST_PAGE_SIZE,
  type ListMessage,
  listMessage,
  listPageSchema,
  statusMessage,
} from './views.js';

/** How many audit entries `/cert status` shows (the newest). */
const HISTORY_SHOWN = 10;
/** Longer than any id CertOps makes; longer input is a typo, not an id. */
const MAX_ID_LENGTH = 64;

function isScope(word: string): word is ListScope {
  return (LIST_SCOPES as readonly string[]).includes(word);
}

/** One page of a list, or the refusal (e.g. `all` for someone who is not an approver). */
async function listPage(
  deps: SlackDeps,
  t: Translate,
  userId: string,
  scope: ListScope,
  page: number,
): Promise<ListMessage> {
  const ctx = deps.useCases;
  const result = await listCertificates(ctx, userId, scope, {
    offset: Math.max(0, page) * LIST_PAGE_SIZE,
    limit: LIST_PAGE_SIZE,
  });
  if (!result.ok) {
    const text = refusalText(t, result.refusal, { timeZone: ctx.policy.timeZone });
    return { text, blocks: [] };
  }
  return listMessage(t, result.value, {
    scope,
    page,
    team: ctx.teams.teamOf(userId),
    timeZone: ctx.policy.timeZone,
  });
}

function withBlocks(message: ListMessage) {
  return message.blocks.length > 0 ? message : { text: message.text };
}

/** `/cert list [mine|team|expiring|all]`: an ephemeral, paged list (mine by default). */
const list: SubcommandHandler = async ({ deps, respond, t, userId, args }) => {
  const word = (args[0] ?? 'mine').toLowerCase();
  if (args.length > 1 || !isScope(word)) {
    await respond({ response_type: 'ephemeral', text: t('queries.list.usage') });
    return;
  }
  const message = await listPage(deps, t, userId, word, 0);
  await respond({ response_type: 'ephemeral', ...withBlocks(message) });
};

/** `/cert status <id>`: everything about one certificate, with its history and what comes next. */
const status: SubcommandHandler = async ({ deps, respond, t, userId, args }) => {
  const id = args[0];
  if (id === undefined || args.length > 1 || id.length > MAX_ID_LENGTH) {
    await respond({ response_type: 'ephemeral', text: t('queries.status.usage') });
    return;
  }
  const ctx = deps.useCases;
  const result = await certificateStatus(ctx, id, userId, HISTORY_SHOWN);
  if (!result.ok) {
    await respond({
      response_type: 'ephemeral',
      text: refusalText(t, result.refusal, { timeZone: ctx.policy.timeZone }),
    });
    return;
  }
  const message = statusMessage(t, result.value, ctx.policy.timeZone, HISTORY_SHOWN);
  await respond({ response_type: 'ephemeral', ...message });
};

/** `/cert contacts`: the team's contacts, or how contacts come to be. */
const contacts: SubcommandHandler = async ({ deps, respond, t, userId, args }) => {
  if (args.length > 0) {
    await respond({ response_type: 'ephemeral', text: t('queries.contacts.usage') });
    return;
  }
  const ctx = deps.useCases;
  const found = await teamContacts(ctx, userId);
  const message = contactsMessage(t, ctx.teams.teamOf(userId), found);
  await respond({ response_type: 'ephemeral', ...message });
};

/** Previous / Next on a list: the ephemeral message is replaced by the page asked for. */
function registerPaging(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    { type: 'block_actions', action_id: LIST_PAGE_ACTIONS },
    async ({
      ack,
      body,
      action,
      respond,
    }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
      await ack();
      const userId = body.user.id;
      const t = await translatorFor(deps, userId);
      const tell = ephemeralReply(deps, respond);
      let page: { s: ListScope; p: number };
      try {
        page = decodeMetadata(listPageSchema, action.value, LIMITS.buttonValue);
      } catch {
        await tell(t('queries.list.stale'));
        return;
      }
      const message = await listPage(deps, t, userId, page.s, page.p);
      await respond({ response_type: 'ephemeral', replace_original: true, ...withBlocks(message) });
    },
  );
}

/** The queries slice of the Slack side: list, status, contacts. */
export const queriesFeature: SlackFeature = {
  name: 'queries',
  subcommands: { list, status, contacts },
  register: registerPaging,
};
