import type { App, CodedError } from '@slack/bolt';
import { type SlackDeps, translatorFor } from './deps.js';
import { directMessage } from './replies.js';

/**
 * The one answer to a listener that failed: what it was doing is logged (through CertOps's
 * logger, which redacts), and the person is told "something went wrong, nothing was changed"
 * (`command.failed`). Listeners therefore let unexpected errors through instead of catching
 * each one; only answers that differ (a field error in a modal) are caught where they happen.
 */
export function answerListenerErrors(app: App, deps: SlackDeps): void {
  app.error(async ({ error, body }: { error: CodedError; body: unknown }) => {
    const request = describeRequest(body);
    deps.logger.error(`${request.what} failed`, originalError(error));
    if (!request.userId) return;
    const t = await translatorFor(deps, request.userId);
    const text = t('command.failed');
    if (request.responseUrl) {
      await answerAt(request.responseUrl, text).catch((failure: unknown) =>
        deps.logger.error(`${request.what}: answering the failure failed`, failure),
      );
      return;
    }
    await directMessage(app.client, deps, request.userId, text, request.what);
  });
}

/** Bolt wraps what a listener threw; the log wants the error itself. */
function originalError(error: CodedError): unknown {
  return (error as { original?: unknown }).original ?? error;
}

interface FailedRequest {
  /** For the logs: `/cert list`, `action approvals_approve`, `view_submission apply`. */
  readonly what: string;
  readonly userId: string | undefined;
  readonly responseUrl: string | undefined;
}

/** What a request was, read leniently: it reached a listener, but is logged whatever it is. */
function describeRequest(body: unknown): FailedRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const user = b.user as { id?: unknown } | undefined;
  const userId = text(b.user_id) ?? text(user?.id);
  const responseUrl = text(b.response_url);
  if (text(b.command)) {
    const sub = text(b.text)?.trim().split(/\s+/)[0] || 'help';
    return { what: `${text(b.command)} ${sub.slice(0, 40)}`, userId, responseUrl };
  }
  const actions = b.actions as { action_id?: unknown }[] | undefined;
  const view = b.view as { callback_id?: unknown } | undefined;
  const name = text(actions?.[0]?.action_id) ?? text(view?.callback_id) ?? text(b.callback_id);
  const kind = text(b.type) ?? text((b.event as { type?: unknown } | undefined)?.type) ?? 'event';
  return { what: name ? `${kind} ${name}` : kind, userId, responseUrl };
}

/** An ephemeral answer through the request's response_url, the message clicked left as it is. */
async function answerAt(responseUrl: string, text: string): Promise<void> {
  const res = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
    signal: AbortSignal.timeout(2500),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}
