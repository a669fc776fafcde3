import { slaStage } from '../domain/sla.js';
import type { UseCaseContext } from './context.js';

export type ReviewCheck = 'sent' | 'already_sent' | 'not_due' | 'not_under_review';

/**
 * The review clock for one submission (OV/EV): after 1 business day without issue, remind the
 * requester to check for the CA's phone call or domain-verification email; at the 7-business-day
 * breach, escalate to support. Issued, failed or withdrawn earlier: nothing.
 * Each is sent once: the message is dispatched under a key (a repeat is ignored), then the
 * application records it (version-checked), so a re-run, a retry or a second worker finds it
 * done. A crash between the two repeats the dispatch, which the key absorbs.
 */
export async function checkReview(
  ctx: UseCaseContext,
  applicationId: string,
): Promise<ReviewCheck> {
  const app = await ctx.store.applications.get(applicationId);
  if (app?.status !== 'submitted' || !app.sla) return 'not_under_review';
  const stage = slaStage(app.sla, ctx.clock.now());
  if (stage === 'within') return 'not_due';
  const due = stage === 'breached' ? 'breach' : 'remind';
  if (app.slaNotified === 'breach' || app.slaNotified === due) return 'already_sent';
  const key = `sla:${app.id}:${due}`;
  if (due === 'remind') {
    await ctx.dispatcher.dispatch(
      {
        kind: 'sla_reminder',
        userId: app.requesterId,
        applicationId: app.id,
        certificateId: app.certificateId,
      },
      key,
    );
  } else {
    // A late check that finds the breach sends the escalation only, not the reminder too.
    await ctx.dispatcher.dispatch(
      {
        kind: 'escalation',
        cause: 'sla_breach',
        certificateId: app.certificateId,
        applicationId: app.id,
        requesterId: app.requesterId,
        ...(app.sla?.estimated ? { estimated: true } : {}),
      },
      key,
    );
  }
  const at = ctx.clock.now().getTime();
  const result = await ctx.store.commit((tx) =>
    tx.updateApplication(
      app,
      { ...app, slaNotified: due },
      { actor: 'certops', at, action: `sla_${due}` },
    ),
  );
  return result.ok ? 'sent' : 'already_sent';
}

/** Submissions whose reminder or breach point has passed and is still owed (the sweep). */
export async function reviewsDue(ctx: UseCaseContext, limit = 500): Promise<string[]> {
  const now = ctx.clock.now().getTime();
  const page = { offset: 0, limit };
  const [breach, remind] = await Promise.all([
    ctx.store.applications.idsDueForBreach(now, page),
    ctx.store.applications.idsDueForReminder(now, page),
  ]);
  return [...new Set([...breach, ...remind])];
}
