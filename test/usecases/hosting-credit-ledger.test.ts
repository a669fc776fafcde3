import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { availableCredits } from '../../src/domain/hosting.js';
import {
  applyForCertificate,
  type ContactChoice,
} from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { recordIssued, recordValidationFailed } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { requestCombination } from '../../src/usecases/request-combination.js';
import { withdrawApplication } from '../../src/usecases/withdraw-application.js';
import {
  ADMIN,
  ALICE,
  APPROVER,
  buy,
  type Harness,
  harness,
  pem,
} from '../support/usecase-harness.js';

const newContact = {
  kind: 'new',
  fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
} as const;

/** Li Lei: created with the first application, chosen from then on. */
async function contactOf(harnessed: Harness): Promise<ContactChoice> {
  const [known] = await harnessed.ctx.store.contacts.listOfTeam('web');
  return known ? { kind: 'existing', contactId: known.id } : newContact;
}

/** Alice applies for `certificateId` (shop.example.com, DNS); the application's id. */
async function applyFor(harnessed: Harness, certificateId: string, hosting: boolean) {
  const r = await applyForCertificate(harnessed.ctx, {
    certificateId,
    requesterId: ALICE,
    domains: ['shop.example.com'],
    validationMethod: 'dns',
    contact: await contactOf(harnessed),
    hosting,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.refusal));
  return r.value.application.id;
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

/** What a person or the CA does to instance `i` (of the team's few). */
type Step =
  | { readonly op: 'apply'; readonly i: number; readonly hosting: boolean }
  | { readonly op: 'approve' | 'reject' | 'fail' | 'withdraw' | 'issue'; readonly i: number }
  | { readonly op: 'combine'; readonly i: number; readonly j: number };

const INSTANCES = 3;
const index = fc.integer({ min: 0, max: INSTANCES - 1 });
const on = (op: Exclude<Step['op'], 'apply' | 'combine'>) =>
  fc.record({ op: fc.constant(op), i: index });
// Weighted so that sequences often get an instance through approval and to the CA's outcome.
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ op: fc.constant('apply' as const), i: index, hosting: fc.boolean() }),
    weight: 4,
  },
  { arbitrary: on('approve'), weight: 4 },
  { arbitrary: on('issue'), weight: 2 },
  { arbitrary: on('fail'), weight: 2 },
  { arbitrary: on('reject'), weight: 1 },
  { arbitrary: on('withdraw'), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('combine' as const), i: index, j: index }), weight: 1 },
);

async function run(harnessed: Harness, ids: readonly string[], s: Step): Promise<void> {
  const { ctx } = harnessed;
  const id = ids[s.i] ?? '';
  const open = (await ctx.store.certificates.get(id))?.openApplicationId ?? '';
  switch (s.op) {
    case 'apply': {
      // After a combination the result is what one applies for.
      const cert = await ctx.store.certificates.get(id);
      const target = cert?.mergedInto ?? id;
      await applyForCertificate(ctx, {
        certificateId: target,
        requesterId: ALICE,
        domains: ['shop.example.com'],
        validationMethod: 'dns',
        contact: await contactOf(harnessed),
        hosting: s.hosting,
      });
      return;
    }
    case 'approve':
    case 'reject':
      await decideApplication(ctx, {
        applicationId: open,
        deciderId: APPROVER,
        decision: s.op,
        reason: 'no',
      });
      return;
    case 'fail':
      await recordValidationFailed(ctx, { applicationId: open, actor: APPROVER, reason: 'DNS' });
      return;
    case 'issue':
      await recordIssued(ctx, {
        applicationId: open,
        actor: APPROVER,
        pem: pem('shop-ov-2126.pem'),
      });
      return;
    case 'withdraw':
      await withdrawApplication(ctx, { applicationId: open, actorId: ALICE });
      return;
    case 'combine': {
      const asked = await requestCombination(ctx, {
        certificateId: id,
        requesterId: ALICE,
        combineWith: [ids[s.j] ?? ''],
        confirmedNoRefund: true,
      });
      if (asked.ok)
        await decideApplication(ctx, {
          applicationId: asked.value.application.id,
          deciderId: APPROVER,
          decision: 'approve',
        });
      return;
    }
  }
}

/** The ledger adds up: held and spent count the marked instances, nothing is negative. */
async function expectLedgerAddsUp(harnessed: Harness, purchased: number) {
  const { store } = harnessed.ctx;
  const credits = await store.hostingCredits.get('web');
  const team = await store.certificates.getMany(await store.certificates.idsOfTeam('web'));
  const marked = (mark: 'held' | 'spent') => team.filter((c) => c.hostingCredit === mark).length;
  expect(credits).toEqual({
    team: 'web',
    purchased,
    held: marked('held'),
    spent: marked('spent'),
  });
  expect(credits.purchased - credits.held - credits.spent).toBeGreaterThanOrEqual(0);
  expect(availableCredits(credits)).toBe(credits.purchased - credits.held - credits.spent);
  // A held credit belongs to an instance that can still be issued: applied for, or failed.
  for (const c of team.filter((c) => c.hostingCredit === 'held'))
    expect(['pending_application', 'under_review', 'validation_failed']).toContain(c.state);
  return credits;
}

describe('hosting credits as a ledger: bought − held − spent', () => {
  it('adds up after any sequence of apply/approve/reject/fail/withdraw/combine/issue', async () => {
    // What the sequences reached, so that the property cannot pass by refusing everything.
    const reached = { held: 0, spent: 0, released: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 }),
        fc.array(step, { minLength: 10, maxLength: 30, size: 'max' }),
        async (purchased, steps) => {
          await h?.cleanup();
          h = await harness();
          const ids = await buy(h.ctx, { quantity: INSTANCES });
          if (purchased > 0)
            await recordPurchases(h.ctx, ADMIN, [
              { kind: 'hosting_credits', team: 'web', count: purchased },
            ]);
          let before = await h.ctx.store.hostingCredits.get('web');
          for (const s of steps) {
            await run(h, ids, s);
            const after = await expectLedgerAddsUp(h, purchased);
            if (after.held > before.held) reached.held++;
            if (after.spent > before.spent) reached.spent++;
            if (after.held < before.held && after.spent === before.spent) reached.released++;
            before = after;
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(reached.held).toBeGreaterThan(0);
    expect(reached.spent).toBeGreaterThan(0);
    expect(reached.released).toBeGreaterThan(0);
  });

  it('holds at approval, keeps the hold across a failed validation, reuses it, spends it at issuance', async () => {
    h = await harness();
    const harnessed = h;
    const { ctx } = h;
    const [id = ''] = await buy(ctx);
    await recordPurchases(ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    const credits = () => ctx.store.hostingCredits.get('web');
    const applyHosted = () => applyFor(harnessed, id, true);
    const first = await applyHosted();
    expect(await credits()).toMatchObject({ held: 0, spent: 0 });
    await decideApplication(ctx, {
      applicationId: first,
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(await credits()).toMatchObject({ held: 1, spent: 0 });
    await recordValidationFailed(ctx, { applicationId: first, actor: APPROVER, reason: 'DNS' });
    expect((await ctx.store.certificates.get(id))?.hostingCredit).toBe('held');
    // Applying again with none available: the instance's own hold pays for it.
    const second = await applyHosted();
    await decideApplication(ctx, {
      applicationId: second,
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(await credits()).toMatchObject({ purchased: 1, held: 1, spent: 0 });
    await recordIssued(ctx, {
      applicationId: second,
      actor: APPROVER,
      pem: pem('shop-ov-2126.pem'),
    });
    expect(await credits()).toMatchObject({ purchased: 1, held: 0, spent: 1 });
    expect(await ctx.store.certificates.get(id)).toMatchObject({
      hosted: true,
      hostingCredit: 'spent',
    });
    expect(
      (await ctx.store.audit.history('credits', 'web', 10)).map((e) => [e.action, e.reason]),
    ).toEqual([
      ['purchase', '+1'],
      ['approve', `hold for ${id}`],
      ['issue', `spend for ${id}`],
    ]);
  });

  it('gives a failed instance’s credit back when it is combined', async () => {
    h = await harness();
    const { ctx } = h;
    const [a = '', b = ''] = await buy(ctx, { quantity: 2 });
    await recordPurchases(ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    const applied = await applyForCertificate(ctx, {
      certificateId: a,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: newContact,
      hosting: true,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    const appId = applied.value.application.id;
    await decideApplication(ctx, {
      applicationId: appId,
      deciderId: APPROVER,
      decision: 'approve',
    });
    await recordValidationFailed(ctx, { applicationId: appId, actor: APPROVER, reason: 'DNS' });
    expect(await ctx.store.hostingCredits.get('web')).toMatchObject({ held: 1 });
    const combination = await requestCombination(ctx, {
      certificateId: b,
      requesterId: ALICE,
      combineWith: [a],
      confirmedNoRefund: true,
    });
    if (!combination.ok) throw new Error(JSON.stringify(combination.refusal));
    await decideApplication(ctx, {
      applicationId: combination.value.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(await ctx.store.certificates.get(a)).toMatchObject({ state: 'merged' });
    expect((await ctx.store.certificates.get(a))?.hostingCredit).toBeUndefined();
    expect(await ctx.store.hostingCredits.get('web')).toMatchObject({ held: 0, spent: 0 });
  });

  it('50 concurrent approvals for the last credit: exactly one holds it, the others lapse', async () => {
    h = await harness();
    const harnessed = h;
    const { ctx } = h;
    const ids = await buy(ctx, { quantity: 50 });
    await recordPurchases(ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    const apps: string[] = [];
    for (const id of ids) apps.push(await applyFor(harnessed, id, true));
    const decisions = await Promise.all(
      apps.map((applicationId) =>
        decideApplication(ctx, { applicationId, deciderId: APPROVER, decision: 'approve' }),
      ),
    );
    const statuses = decisions.map((d) => (d.ok ? d.value.application.status : d.refusal.code));
    expect(statuses.filter((s) => s === 'submitted')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'lapsed')).toHaveLength(49);
    expect(await ctx.store.hostingCredits.get('web')).toEqual({
      team: 'web',
      purchased: 1,
      held: 1,
      spent: 0,
    });
    await expectLedgerAddsUp(h, 1);
  });
});
