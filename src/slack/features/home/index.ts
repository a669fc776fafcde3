import type { App } from '@slack/bolt';
import { dashboard, pendingApprovals, teamHostingCredits } from '../../../usecases/queries.js';
import type { HomeView } from '../../blocks.js';
import type { SlackDeps, SlackFeature } from '../../deps.js';
import { translatorFor } from '../../deps.js';
import { casPackageQuota, quotaLines } from '../purchase/quota.js';
import { buildHomeView, HOME_APPROVALS, type PendingApproval } from './views.js';

/** The dashboard one person sees on the bot's Home tab, read through the use cases. */
export async function homeFor(deps: SlackDeps, userId: string): Promise<HomeView> {
  const ctx = deps.useCases;
  const isApprover = ctx.policy.approvers.has(userId);
  // Those who buy and approve see what is left of the CAS packages (when CAS is routed to).
  const buys = isApprover || ctx.policy.admins.has(userId);
  const [t, certificates, credits, waiting, quota] = await Promise.all([
    translatorFor(deps, userId),
    dashboard(ctx, userId),
    teamHostingCredits(ctx, userId),
    isApprover ? pendingApprovals(ctx) : Promise.resolve(undefined),
    buys ? casPackageQuota(deps) : Promise.resolve(undefined),
  ]);
  let approvals: PendingApproval[] | undefined;
  if (waiting) {
    const shown = waiting.slice(0, HOME_APPROVALS);
    const certificates = await ctx.store.certificates.getMany(shown.map((a) => a.certificateId));
    const names = new Map(certificates.map((c) => [c.id, c.name]));
    approvals = waiting.map((application) => {
      const certificateName = names.get(application.certificateId);
      return certificateName === undefined ? { application } : { application, certificateName };
    });
  }
  return buildHomeView(t, {
    userId,
    team: ctx.teams.teamOf(userId),
    rows: certificates.rows,
    mine: certificates.mine,
    counts: certificates.counts,
    credits,
    ...(quota ? { quota: quotaLines(t, quota) } : {}),
    ...(approvals ? { approvals } : {}),
    approvalChannel: deps.settings.approvalChannel,
    now: ctx.clock.now(),
    timeZone: ctx.policy.timeZone,
  });
}

/**
 * `app_home_opened` on the Home tab: publish the dashboard. Bolt acks events before this runs;
 * repeated deliveries (x-slack-retry-num) are dropped by the event-id middleware.
 */
function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    try {
      const view = await homeFor(deps, event.user);
      await client.views.publish({ user_id: event.user, view });
    } catch (error) {
      deps.logger.error('publishing the App Home failed', error);
    }
  });
}

/** The App Home slice of the Slack side. */
export const homeFeature: SlackFeature = { name: 'home', register: registerHome };
