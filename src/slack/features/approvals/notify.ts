/** The approvals notifications: the channels' messages and the requester's direct messages. */
import type { Application } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { CertOpsEvent } from '../../../usecases/ports/index.js';
import { escapeMrkdwn, fallbackText, section } from '../../blocks.js';
import { type SlackClient, type SlackDeps, type SlackFeature, translatorFor } from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import { loggedNotification, postDirectMessage } from '../../replies.js';
import { domainsText, formatDate, who } from '../../views/format.js';
import { renewActions } from '../clocks/views.js';
import { channelT, loadDetails, refusalText } from './reading.js';
import { KIND, manualMessage, requestMessage } from './views.js';

/** A new request, in the approvals channel. */
async function postRequest(
  client: SlackClient,
  deps: SlackDeps,
  app: Application,
  cert: Certificate,
) {
  const details = await loadDetails(deps, app, cert);
  const message = requestMessage(channelT, details, { timeZone: deps.useCases.policy.timeZone });
  await client.chat.postMessage({ channel: deps.settings.approvalChannel, ...message });
}

/** A submitted request to a manual CA, in the support channel, for its answer to be recorded. */
async function postManual(
  client: SlackClient,
  deps: SlackDeps,
  app: Application,
  cert: Certificate,
) {
  // Only a manual CA needs people to record its answer; providers with an API report it.
  if (deps.useCases.ca.providerFor(cert).name !== 'manual') return;
  const details = await loadDetails(deps, app, cert);
  const message = manualMessage(channelT, details, { timeZone: deps.useCases.policy.timeZone });
  await client.chat.postMessage({ channel: deps.settings.supportChannel, ...message });
}

/**
 * Tells a person something in their language. Throws when Slack refuses the message: these run
 * as notification jobs, which are retried.
 */
async function dmInTheirLanguage(
  client: SlackClient,
  deps: SlackDeps,
  userId: string,
  text: (t: Translate) => string,
): Promise<void> {
  const t = await translatorFor(deps, userId);
  await postDirectMessage(client, userId, text(t));
}

function decider(app: Application): string {
  return app.decidedBy ? who(app.decidedBy) : '?';
}

/**
 * A request approved too late: why, and what is possible now, with Renew when there is
 * something left to ask for (inside the window: a renewal purchase).
 */
function lapsedMessage(t: Translate, deps: SlackDeps, app: Application, cert: Certificate) {
  const { timeZone } = deps.useCases.policy;
  const text = t('approvals.dm.lapsed', {
    kind: t(KIND[app.kind]),
    name: escapeMrkdwn(cert.name),
    id: cert.id,
    by: decider(app),
    reason: app.lapse ? refusalText(t, app.lapse, timeZone, 'mrkdwn') : '',
  });
  // Too late for hosting: the renewal purchase is what is left, and Renew offers it.
  const offered = app.lapse?.code === 'renew.window_began' || app.lapse?.code === 'renew.changed';
  return {
    text: fallbackText(text),
    blocks: [section(text), ...(offered ? [renewActions(t, cert.id)] : [])],
  };
}

/** Hosting enabled or a renewal purchased: the requester hears of the renewal instance. */
function renewalApproved(key: 'approvals.dm.hosting_enabled' | 'approvals.dm.renewal_purchased') {
  return (
    event: Extract<CertOpsEvent, { type: 'hosting_enabled' | 'renewal_purchased' }>,
    client: SlackClient,
    deps: SlackDeps,
  ) =>
    loggedNotification(deps, `approvals: telling the requester of ${event.type}`, () =>
      dmInTheirLanguage(client, deps, event.application.requesterId, (t) =>
        t(key, {
          name: escapeMrkdwn(event.certificate.name),
          id: event.certificate.id,
          by: decider(event.application),
          renewal: event.renewal.id,
        }),
      ),
    );
}

export const approvalsNotifications: SlackFeature['notify'] = {
  approval_requested: (event, client, deps) =>
    loggedNotification(deps, 'approvals: posting an approval request', () =>
      postRequest(client, deps, event.application, event.certificate),
    ),
  submitted_to_ca: (event, client, deps) =>
    loggedNotification(deps, 'approvals: posting a manual CA submission', () =>
      postManual(client, deps, event.application, event.certificate),
    ),
  application_decided: (event, client, deps) =>
    loggedNotification(deps, 'approvals: telling the requester of a decision', async () => {
      const { application: app, certificate: cert } = event;
      const t = await translatorFor(deps, app.requesterId);
      const params = {
        kind: t(KIND[app.kind]),
        name: escapeMrkdwn(cert.name),
        id: cert.id,
        by: decider(app),
      };
      if (event.decision === 'lapsed') {
        await client.chat.postMessage({
          channel: app.requesterId,
          ...lapsedMessage(t, deps, event.application, cert),
        });
        return;
      }
      await postDirectMessage(
        client,
        app.requesterId,
        event.decision === 'approved'
          ? t('approvals.dm.approved', params)
          : t('approvals.dm.rejected', {
              ...params,
              reason: escapeMrkdwn(app.decisionReason ?? ''),
            }),
      );
    }),
  hosting_enabled: renewalApproved('approvals.dm.hosting_enabled'),
  renewal_purchased: renewalApproved('approvals.dm.renewal_purchased'),
  instances_combined: (event, client, deps) =>
    loggedNotification(deps, 'approvals: telling the requester of the combination', () =>
      dmInTheirLanguage(client, deps, event.application.requesterId, (t) =>
        t('approvals.dm.instances_combined', {
          name: escapeMrkdwn(event.combined.name),
          id: event.combined.id,
          by: decider(event.application),
          count: event.sources.length,
          quota: event.combined.domainQuota,
        }),
      ),
    ),
  certificate_issued: (event, client, deps) =>
    loggedNotification(deps, 'approvals: telling the requester the certificate is issued', () =>
      dmInTheirLanguage(client, deps, event.application.requesterId, (t) =>
        t('approvals.dm.issued', {
          name: escapeMrkdwn(event.certificate.name),
          id: event.certificate.id,
          domains: domainsText(t, event.certificate.domains, 10),
          notAfter:
            event.certificate.notAfter !== undefined
              ? formatDate(event.certificate.notAfter, deps.useCases.policy.timeZone)
              : t('approvals.unknown_date'),
        }),
      ),
    ),
};
