import { type Application, nextApplicationStatus } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { nextState } from '../domain/states.js';
import type { UseCaseContext } from './context.js';
import { creditReleasedByClosing, releaseInstance } from './decide-application.js';
import { markCredit, writeCreditMove } from './hosting-credits.js';
import { type AuditNote, asUpdated, CaError } from './ports/index.js';
import { conflictRefusal } from './refusals.js';

export interface WithdrawInput {
  readonly applicationId: string;
  /** The requester or an approver. */
  readonly actorId: string;
}

/**
 * 撤回申请: the requester or an approver takes a request back before the CA issues it. Waiting
 * for approval or approved: it is closed. With the CA already (submitted): the CA's order is
 * withdrawn first where the CA can (Alibaba Cloud CAS: CancelOrderRequest), and nothing changes
 * if it refuses. The instance (and a combination's others) is free again, back to pending
 * application if it was under review; a hosting credit the request held is given back.
 */
export async function withdrawApplication(
  ctx: UseCaseContext,
  input: WithdrawInput,
): Promise<Result<{ application: Application }>> {
  const app = await ctx.store.applications.get(input.applicationId);
  if (!app) return refuse('application.not_found', { id: input.applicationId });
  if (app.requesterId !== input.actorId && !ctx.policy.approvers.has(input.actorId))
    return refuse('withdraw.not_allowed', { id: app.id });
  const status = nextApplicationStatus(app.status, 'withdraw');
  if (!status.ok) return refuse('withdraw.too_late', { id: app.id, status: app.status });
  const cert = await ctx.store.certificates.get(app.certificateId);
  if (!cert) return refuse('certificate.not_found', { id: app.certificateId });

  if (app.status === 'submitted' && cert.caOrderId) {
    const provider = ctx.ca.providerFor(cert);
    if (provider.withdraw) {
      try {
        await provider.withdraw({ orderId: cert.caOrderId, application: app, certificate: cert });
      } catch (error) {
        const reason = error instanceof CaError ? error.message : String(error);
        return refuse('withdraw.ca_refused', { id: app.id, provider: provider.name, reason });
      }
    }
  }

  const now = ctx.clock.now().getTime();
  const withdrawn: Application = {
    ...app,
    status: status.value,
    decisionReason: `withdrawn by ${input.actorId}`,
  };
  const note: AuditNote = { actor: input.actorId, at: now, action: 'withdraw' };
  const credit = creditReleasedByClosing(app, cert);
  const freed = markCredit(freeInstance(cert, app.id), credit);
  const held = (await ctx.store.certificates.getMany(app.combineWith ?? [])).filter(
    (c) => c.openApplicationId === app.id,
  );
  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, withdrawn, note);
    tx.updateCertificate(cert, freed, note);
    for (const other of held) tx.updateCertificate(other, freeInstance(other, app.id), note);
    writeCreditMove(tx, cert, credit, note);
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  return ok({ application: asUpdated(app, withdrawn, now) });
}

/** Free of the request; under review goes back to pending application (the CA let it go). */
function freeInstance(cert: Certificate, applicationId: string): Certificate {
  const free = cert.openApplicationId === applicationId ? releaseInstance(cert) : cert;
  const back = nextState(cert.state, 'withdraw');
  if (!back.ok) return free;
  const { caOrderId: _order, ...unordered } = free;
  return { ...unordered, state: back.value };
}
