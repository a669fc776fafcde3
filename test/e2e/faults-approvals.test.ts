import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { SlackDriver } from '../support/slack-driver.js';

const APPROVERS = Array.from({ length: 50 }, (_, i) => `UAPPR${String(i).padStart(3, '0')}`);

describe('50 approvers click Approve at once', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBot({ env: { CERTOPS_APPROVERS: APPROVERS.join(','), CERTOPS_ROLE: 'web' } });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('takes exactly one decision: one update, one audit entry, 49 told it was already decided', async () => {
    const ctx = bot.certops.useCases;
    const bought = await recordPurchases(ctx, APPROVERS[0] ?? '', [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'OV',
        domainType: 'multi',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 2,
        quantity: 1,
        team: 'default',
      },
    ]);
    const certificateId = bought.ok ? (bought.value.certificateIds[0] ?? '') : '';
    const applied = await applyForCertificate(ctx, {
      certificateId,
      requesterId: 'UALICE',
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
      },
      hosting: false,
    });
    const applicationId = applied.ok ? applied.value.application.id : '';
    const request = await bot.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.channel === 'CAPPROVALS',
    );
    const since = bot.slack.calls.length;
    const driver = new SlackDriver(bot);

    const acks = await Promise.all(
      APPROVERS.map((approver) => driver.click(request, APPROVALS_IDS.approve, approver)),
    );

    expect(acks.map((a) => a.status)).toEqual(APPROVERS.map(() => 200));
    const sent = () => bot.slack.calls.slice(since);
    await bot.slack.waitFor(
      () =>
        sent().filter((c) => c.method.startsWith('response_url:')).length === 49 &&
        sent().filter((c) => c.method === 'chat.update').length === 1,
    );
    await bot.certops.settle();
    const stored = await ctx.store.applications.get(applicationId);
    expect(stored?.status).toBe('submitted');
    expect(APPROVERS).toContain(stored?.decidedBy);
    const history = await ctx.store.audit.history('app', applicationId, 100);
    expect(history.filter((e) => e.action === 'approve')).toHaveLength(1);
    expect(sent().filter((c) => c.method === 'chat.update')).toHaveLength(1);
    // The requester hears once.
    expect(
      sent().filter((c) => c.method === 'chat.postMessage' && c.params.channel === 'UALICE'),
    ).toHaveLength(1);
  });
});
