import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import type { Refusal } from '../../src/domain/result.js';
import type { DomainType, ValidationType } from '../../src/domain/spec.js';
import { escapeMrkdwn } from '../../src/slack/blocks.js';
import {
  APPLY_IDS,
  instanceLabel,
  methodBlockId,
  NEW_CONTACT,
} from '../../src/slack/features/apply/views.js';
import { explain, translator } from '../../src/slack/i18n/index.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { recordValidationFailed } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { certificate, contact } from '../support/fixtures.js';
import { type InputValue, type OpenedView, SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');

const ALICE = 'UALICE'; // team default
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese
const NOBODY = 'UNOBODY'; // team empty: nothing bought
const POOR = 'UPOOR'; // team poor: one instance, no hosting credits
const HELD = 'UHELD'; // team held: its one credit held by an instance whose validation failed
const BIG = 'UBIG'; // team big: 105 instances

describe('/cert apply: the application modal (提交证书申请)', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  const ids: Record<string, string> = {};
  const SEEDED_CONTACT = contact({
    id: 'pseeded01',
    team: 'default',
    name: 'Han Meimei',
    email: 'han@example.com',
    phone: '+8613900000001',
  });

  async function buy(
    name: string,
    spec: { v: ValidationType; d: DomainType; quota: number; team?: string; quantity?: number },
  ): Promise<string[]> {
    const result = await recordPurchases(bot.certops.useCases, 'UAPPROVER1', [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: spec.v,
        domainType: spec.d,
        grade: 'standard',
        validityYears: 1,
        domainQuota: spec.quota,
        quantity: spec.quantity ?? 1,
        team: spec.team ?? 'default',
        name,
      },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return [...result.value.certificateIds];
  }

  /** Certificates in states no purchase produces, written as the store would hold them. */
  async function seed(...certs: Certificate[]): Promise<void> {
    const result = await bot.certops.store.commit((tx) => {
      for (const cert of certs)
        tx.createCertificate(cert, { actor: 'seed', at: 0, action: 'seed' });
    });
    if (!result.ok) throw new Error(JSON.stringify(result.conflict));
  }

  beforeAll(async () => {
    bot = await startBot({
      env: { CERTOPS_TEAMS: `empty=${NOBODY}; poor=${POOR}; big=${BIG}; held=${HELD}` },
    });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
    for (const [key, name, spec] of [
      ['multi', 'shop OV multi', { v: 'OV', d: 'multi', quota: 5 }],
      ['dv', 'blog DV single', { v: 'DV', d: 'single', quota: 1 }],
      ['errors', 'errors OV multi', { v: 'OV', d: 'multi', quota: 3 }],
      ['twice', 'twice OV multi', { v: 'OV', d: 'multi', quota: 2 }],
      ['dm', 'dm DV multi', { v: 'DV', d: 'multi', quota: 2 }],
      ['race', 'race OV multi', { v: 'OV', d: 'multi', quota: 2 }],
      ['poor', 'poor OV multi', { v: 'OV', d: 'multi', quota: 2, team: 'poor' }],
    ] as const) {
      const [id = ''] = await buy(name, spec);
      ids[key] = id;
    }
    const big = await buy('big', { v: 'OV', d: 'multi', quota: 2, team: 'big', quantity: 100 });
    const more = await buy('zz more', { v: 'OV', d: 'multi', quota: 2, team: 'big', quantity: 5 });
    ids.bigFirst = big[0] ?? '';
    ids.bigLast = more.at(-1) ?? '';
    const credits = await recordPurchases(bot.certops.useCases, 'UAPPROVER1', [
      { kind: 'hosting_credits', team: 'default', count: 2 },
    ]);
    if (!credits.ok) throw new Error(JSON.stringify(credits.refusal));
    ids.failed = 'cvfailed1';
    ids.issued = 'cissued01';
    ids.merged = 'cmerged01';
    ids.review = 'creview01';
    await seed(
      certificate({
        id: ids.failed,
        name: 'retry OV',
        team: 'default',
        state: 'validation_failed',
      }),
      certificate({ id: ids.issued, name: 'live OV', team: 'default', state: 'issued' }),
      certificate({ id: ids.merged, name: 'gone OV', team: 'default', state: 'merged' }),
      certificate({ id: ids.review, name: 'busy OV', team: 'default', state: 'under_review' }),
    );
    const created = await bot.certops.store.commit((tx) =>
      tx.createContact(SEEDED_CONTACT, { actor: 'seed', at: 0, action: 'seed' }),
    );
    if (!created.ok) throw new Error(JSON.stringify(created.conflict));
  });
  afterAll(async () => {
    await bot?.stop();
  });

  // --- helpers: what a person sees and does ---

  async function open(user: string, text: string, channelId?: string): Promise<OpenedView> {
    const { status, since } = await driver.command(user, text, channelId ? { channelId } : {});
    expect(status).toBe(200);
    return driver.view(since, 'views.open');
  }

  const blocksOf = (view: OpenedView) => view.view.blocks as Json[];
  const block = (view: OpenedView, blockId: string) =>
    blocksOf(view).find((b) => b.block_id === blockId);
  const element = (view: OpenedView, blockId: string) => block(view, blockId)?.element as Json;
  const optionValues = (view: OpenedView, blockId: string) =>
    ((element(view, blockId)?.options as Json[]) ?? []).map((o) => o.value);
  const optionTexts = (view: OpenedView, blockId: string) =>
    ((element(view, blockId)?.options as Json[]) ?? []).map((o) => (o.text as Json).text);
  const textOf = (view: OpenedView, blockId: string, key: 'hint' | 'label') =>
    (block(view, blockId)?.[key] as Json | undefined)?.text;
  const contextText = (view: OpenedView, blockId: string) =>
    ((block(view, blockId)?.elements as Json[]) ?? []).map((e) => e.text).join(' ');
  const methodBlockOf = (view: OpenedView) =>
    String(
      blocksOf(view).find((b) => String(b.block_id).startsWith(APPLY_IDS.methodPrefix))?.block_id,
    );

  async function storeState(certId: string, team = 'default') {
    const store = bot.certops.store;
    return {
      openApplicationId: (await store.certificates.get(certId))?.openApplicationId,
      applications: await store.applications.idsOfCertificate(certId),
      contacts: (await store.contacts.listOfTeam(team)).length,
      credits: await store.hostingCredits.get(team),
    };
  }

  // --- opening ---

  it('opens a modal offering only the instances the person may apply for', async () => {
    const view = await open(ALICE, 'apply');
    expect(view.call.params.trigger_id).toMatch(/^trigger-/);
    expect(view.view.callback_id).toBe('apply.submit');
    expect((view.view.title as Json).text).toBe(en('apply.modal.title'));

    const offered = optionValues(view, APPLY_IDS.instance);
    expect(offered).toEqual(
      expect.arrayContaining([
        ids.multi,
        ids.dv,
        ids.errors,
        ids.twice,
        ids.dm,
        ids.race,
        ids.failed,
      ]),
    );
    expect(offered).toHaveLength(7);
    for (const hidden of [ids.issued, ids.merged, ids.review, ids.poor, ids.bigFirst]) {
      expect(offered).not.toContain(hidden);
    }
    // Each option reads name, spec and quota; a failed validation says so.
    const multi = await bot.certops.store.certificates.get(ids.multi ?? '');
    const failed = await bot.certops.store.certificates.get(ids.failed ?? '');
    if (!multi || !failed) throw new Error('seeded certificates are missing');
    const texts = optionTexts(view, APPLY_IDS.instance);
    expect(texts).toContain(instanceLabel(en, multi));
    expect(instanceLabel(en, multi)).toContain('shop OV multi');
    expect(instanceLabel(en, multi)).toContain(en('apply.instance.quota', { quota: 5 }));
    expect(instanceLabel(en, multi)).toContain(en('apply.domainType.multi'));
    expect(texts).toContain(instanceLabel(en, failed));
    expect(instanceLabel(en, failed)).toContain(
      en('apply.instance.resubmit', { name: 'retry OV' }),
    );
    expect(instanceLabel(en, failed)).toContain(en('apply.instance.quota', { quota: 1 }));
    // Nothing chosen yet: no quota to count against, every method on offer.
    expect(contextText(view, APPLY_IDS.remaining)).toBe(en('apply.domains.chooseInstance'));
    expect(optionValues(view, methodBlockOf(view))).toEqual(['dns', 'file', 'email']);
    // The domains box dispatches as the person types.
    expect(block(view, APPLY_IDS.domains)?.dispatch_action).toBe(true);
    expect(element(view, APPLY_IDS.domains).dispatch_action_config).toEqual({
      trigger_actions_on: ['on_character_entered'],
    });
    // The team's contacts, plus "New contact"; the credits left on the hosting checkbox.
    expect(optionValues(view, APPLY_IDS.contact)).toEqual([SEEDED_CONTACT.id, NEW_CONTACT]);
    expect(optionTexts(view, APPLY_IDS.contact)).toContain(en('apply.contact.new'));
    expect(optionTexts(view, APPLY_IDS.hosting)).toEqual([
      en('apply.hosting.option', { credits: 2 }),
    ]);
    expect(textOf(view, APPLY_IDS.hosting, 'hint')).toBe(en('apply.hosting.hint'));
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ c: 'C_GENERAL' });
  });

  it('preselects the instance named in `/cert apply <id>`, with its methods and quota', async () => {
    const view = await open(ALICE, `apply ${ids.dv}`);
    expect((element(view, APPLY_IDS.instance).initial_option as Json).value).toBe(ids.dv);
    expect(methodBlockOf(view)).toBe(methodBlockId(['dns', 'file']));
    expect(optionValues(view, methodBlockOf(view))).toEqual(['dns', 'file']);
    expect(contextText(view, APPLY_IDS.remaining)).toBe(
      en('apply.domains.remaining', { count: 1 }),
    );
    expect(textOf(view, APPLY_IDS.domains, 'hint')).toBe(en('apply.domains.hint.forbidden'));
  });

  it('explains, without a modal, why a named instance cannot be applied for', async () => {
    const cases: Array<[string, Refusal]> = [
      [
        ids.issued ?? '',
        { code: 'apply.state', params: { id: ids.issued ?? '', state: 'issued' } },
      ],
      [
        ids.merged ?? '',
        { code: 'apply.state', params: { id: ids.merged ?? '', state: 'merged' } },
      ],
      [
        ids.poor ?? '',
        { code: 'certificate.other_team', params: { id: ids.poor ?? '', team: 'poor' } },
      ],
      ['cnope0000', { code: 'certificate.not_found', params: { id: 'cnope0000' } }],
    ];
    for (const [id, refusal] of cases) {
      const { responseUrl, since } = await driver.command(ALICE, `apply ${id}`);
      const reply = await driver.reply(responseUrl);
      expect(reply.params.response_type).toBe('ephemeral');
      expect(reply.params.text).toBe(explain(en, refusal));
      expect(bot.slack.calls.slice(since).filter((c) => c.method === 'views.open')).toEqual([]);
    }
  });

  it('says so, and how purchases get recorded, when there is nothing to apply for', async () => {
    const { responseUrl, since } = await driver.command(NOBODY, 'apply');
    const reply = await driver.reply(responseUrl);
    expect(reply.params).toMatchObject({ response_type: 'ephemeral', text: en('apply.none') });
    expect(String(reply.params.text)).toContain('/cert purchase');
    expect(bot.slack.calls.slice(since).filter((c) => c.method === 'views.open')).toEqual([]);
  });

  // --- live updates ---

  it('counts the domains left as they are typed, keeping the blocks (and the text) in place', async () => {
    const opened = await open(ALICE, `apply ${ids.multi}`);
    const instance = ids.multi;
    const typed1 = await driver.act(opened, ALICE, APPLY_IDS.domains, {
      [APPLY_IDS.instance]: instance,
      [APPLY_IDS.domains]: 'a.example.com',
    });
    expect(typed1.call.params.view_id).toBe(opened.id);
    expect(typed1.call.params.hash).toBe(opened.hash);
    expect(contextText(typed1, APPLY_IDS.remaining)).toBe(
      en('apply.domains.remaining', { count: 4 }),
    );
    // Same block ids: Slack keeps what was typed (no initial_value pushed over it).
    expect(blocksOf(typed1).map((b) => b.block_id)).toEqual(
      blocksOf(opened).map((b) => b.block_id),
    );
    expect(element(typed1, APPLY_IDS.domains).initial_value).toBeUndefined();

    const typed2 = await driver.act(typed1, ALICE, APPLY_IDS.domains, {
      [APPLY_IDS.instance]: instance,
      [APPLY_IDS.domains]: 'a.example.com\nb.example.com, c.example.com',
    });
    expect(typed2.call.params.hash).toBe(typed1.hash);
    expect(contextText(typed2, APPLY_IDS.remaining)).toBe(
      en('apply.domains.remaining', { count: 2 }),
    );

    const typed3 = await driver.act(typed2, ALICE, APPLY_IDS.domains, {
      [APPLY_IDS.instance]: instance,
      [APPLY_IDS.domains]:
        'a.example.com b.example.com c.example.com d.example.com e.example.com f.example.com g.example.com',
    });
    expect(contextText(typed3, APPLY_IDS.remaining)).toBe(
      `${en('apply.domains.remaining', { count: 0 })} ${en('apply.domains.over', { count: 2, quota: 5 })}`,
    );
  });

  it('drops a stale update (hash_conflict) quietly', async () => {
    const opened = await open(ALICE, `apply ${ids.multi}`);
    bot.slack.failNext('views.update', {
      status: 200,
      body: { ok: false, error: 'hash_conflict' },
    });
    const failed = once(bot.slack, 'failed');
    const logsBefore = bot.logs.length;
    const since = bot.slack.calls.length;
    const sent = await driver.change(opened, ALICE, APPLY_IDS.domains, {
      [APPLY_IDS.instance]: ids.multi,
      [APPLY_IDS.domains]: 'a.example.com',
    });
    expect(sent.status).toBe(200);
    const [call] = (await failed) as [{ method: string; params: Json }];
    expect(call.method).toBe('views.update');
    expect(call.params.hash).toBe(opened.hash);
    // The next keystroke updates the view as usual.
    const next = await driver.act(opened, ALICE, APPLY_IDS.domains, {
      [APPLY_IDS.instance]: ids.multi,
      [APPLY_IDS.domains]: 'a.example.com b.example.com',
    });
    expect(contextText(next, APPLY_IDS.remaining)).toBe(
      en('apply.domains.remaining', { count: 3 }),
    );
    const logged = bot.logs.slice(logsBefore);
    expect(logged.filter((l) => /"level":"(warn|error)"/.test(l))).toEqual([]);
    expect(logged.join('\n')).toContain('hash_conflict');
    // Nobody was told anything about it.
    expect(
      bot.slack.calls
        .slice(since)
        .filter((c) => c.method.startsWith('chat.') || c.method.startsWith('response_url')),
    ).toEqual([]);
  });

  it('changes the validation methods and the quota line with the chosen instance', async () => {
    const opened = await open(ALICE, 'apply');
    const dv = await driver.act(opened, ALICE, APPLY_IDS.instance, {
      [APPLY_IDS.instance]: ids.dv,
      [APPLY_IDS.domains]: 'blog.example.com',
    });
    expect(methodBlockOf(dv)).toBe(methodBlockId(['dns', 'file']));
    expect(optionValues(dv, methodBlockOf(dv))).toEqual(['dns', 'file']);
    expect(optionTexts(dv, methodBlockOf(dv))).toEqual([
      en('apply.method.dns'),
      en('apply.method.file'),
    ]);
    expect(contextText(dv, APPLY_IDS.remaining)).toBe(en('apply.domains.remaining', { count: 0 }));
    expect(textOf(dv, APPLY_IDS.domains, 'hint')).toBe(en('apply.domains.hint.forbidden'));

    const ov = await driver.act(dv, ALICE, APPLY_IDS.instance, {
      [APPLY_IDS.instance]: ids.multi,
      [APPLY_IDS.domains]: 'blog.example.com',
    });
    expect(optionValues(ov, methodBlockOf(ov))).toEqual(['dns', 'file', 'email']);
    expect(contextText(ov, APPLY_IDS.remaining)).toBe(en('apply.domains.remaining', { count: 4 }));
    // Only the method block changes its id (so a method the new instance lacks is not kept).
    const others = (v: OpenedView) =>
      blocksOf(v)
        .map((b) => b.block_id)
        .filter((id) => !String(id).startsWith(APPLY_IDS.methodPrefix));
    expect(others(ov)).toEqual(others(opened));
  });

  // --- submitting ---

  it('sends a complete application for approval and tells the requester in the channel', async () => {
    const id = ids.multi ?? '';
    const before = await storeState(id);
    const opened = await open(ALICE, `apply ${id}`, 'C_CERTS');
    const since = bot.slack.calls.length;
    const ack = await driver.submit(opened, ALICE, {
      [APPLY_IDS.domains]: 'Shop.example.com\nwww.shop.example.com',
      [methodBlockOf(opened)]: 'dns',
      [APPLY_IDS.contact]: NEW_CONTACT,
      [APPLY_IDS.contactName]: 'Li Lei',
      [APPLY_IDS.contactEmail]: 'li.lei@example.com',
      [APPLY_IDS.contactPhone]: '+86 138 0000 0000',
      [APPLY_IDS.hosting]: ['on'],
    });
    expect(ack).toEqual({ status: 200, body: undefined });

    const after = await storeState(id);
    expect(after.applications).toHaveLength(1);
    const appId = after.applications[0] ?? '';
    expect(after.openApplicationId).toBe(appId);
    const application = await bot.certops.store.applications.get(appId);
    expect(application).toMatchObject({
      kind: 'apply',
      status: 'awaiting_approval',
      requesterId: ALICE,
      domains: ['shop.example.com', 'www.shop.example.com'],
      validationMethod: 'dns',
      hosting: true,
    });
    expect(after.contacts).toBe(before.contacts + 1);
    // Asking holds nothing yet: the credit is held when an approver approves.
    expect(after.credits).toEqual(before.credits);

    const told = await bot.slack.waitFor(
      (c) =>
        c.method === 'chat.postEphemeral' &&
        c.params.user === ALICE &&
        bot.slack.calls.indexOf(c) >= since,
    );
    expect(told.params.channel).toBe('C_CERTS');
    const text = String(told.params.text);
    expect(text).toContain(en('apply.sent', { id: appId, instance: 'shop OV multi' }));
    expect(text).toContain('• shop.example.com');
    expect(text).toContain('• www.shop.example.com');
    expect(text).toContain(en('apply.sent.hosting'));
    // The instance is no longer offered.
    const again = await open(ALICE, 'apply');
    expect(optionValues(again, APPLY_IDS.instance)).not.toContain(id);
  });

  const inlineErrors: Array<{
    name: string;
    user: string;
    instance: keyof typeof ids;
    inputs: Record<string, InputValue>;
    block: string;
    refusal: (id: string) => Refusal;
  }> = [
    {
      name: 'more domains than the quota',
      user: ALICE,
      instance: 'dv',
      inputs: { [APPLY_IDS.domains]: 'a.example.com\nb.example.com' },
      block: APPLY_IDS.domains,
      refusal: () => ({ code: 'domain.quota_exceeded', params: { quota: 1, count: 2 } }),
    },
    {
      name: 'a wildcard on a single-domain instance',
      user: ALICE,
      instance: 'dv',
      inputs: { [APPLY_IDS.domains]: '*.example.com' },
      block: APPLY_IDS.domains,
      refusal: () => ({
        code: 'domain.wildcard_not_allowed',
        params: { domain: '*.example.com', domainType: 'single' },
      }),
    },
    {
      name: 'a duplicate name',
      user: ALICE,
      instance: 'errors',
      inputs: { [APPLY_IDS.domains]: 'a.example.com\nA.example.com.' },
      block: APPLY_IDS.domains,
      refusal: () => ({
        code: 'domain.duplicate',
        params: { domain: 'A.example.com.', duplicateOf: 'a.example.com' },
      }),
    },
    {
      name: 'invalid characters',
      user: ALICE,
      instance: 'errors',
      inputs: { [APPLY_IDS.domains]: 'shop_example.com' },
      block: APPLY_IDS.domains,
      refusal: () => ({
        code: 'domain.invalid_characters',
        params: { domain: 'shop_example.com', label: 'shop_example' },
      }),
    },
    {
      name: 'a new contact with a bad email',
      user: ALICE,
      instance: 'errors',
      inputs: { [APPLY_IDS.contactEmail]: 'not-an-email' },
      block: APPLY_IDS.contactEmail,
      refusal: () => ({ code: 'contact.invalid', params: { field: 'email' } }),
    },
    {
      name: 'a new contact without a name',
      user: ALICE,
      instance: 'errors',
      inputs: { [APPLY_IDS.contactName]: undefined },
      block: APPLY_IDS.contactName,
      refusal: () => ({ code: 'contact.invalid', params: { field: 'name' } }),
    },
    {
      name: 'managed renewal with no hosting credits left',
      user: POOR,
      instance: 'poor',
      inputs: { [APPLY_IDS.hosting]: ['on'] },
      block: APPLY_IDS.hosting,
      refusal: () => ({ code: 'hosting.no_credits', params: { team: 'poor' } }),
    },
  ];

  it.each(inlineErrors)(
    'refuses $name inline, on the right input, and changes nothing',
    async ({ user, instance, inputs, block: blockId, refusal }) => {
      const id = ids[instance] ?? '';
      const team = user === POOR ? 'poor' : 'default';
      const before = await storeState(id, team);
      const opened = await open(user, `apply ${id}`);
      const ack = await driver.submit(opened, user, {
        [APPLY_IDS.domains]: 'shop.example.com',
        [methodBlockOf(opened)]: 'dns',
        [APPLY_IDS.contact]: NEW_CONTACT,
        [APPLY_IDS.contactName]: 'Wang Wu',
        [APPLY_IDS.contactEmail]: 'wang.wu@example.com',
        [APPLY_IDS.contactPhone]: '13800001111',
        ...inputs,
      });
      expect(ack.status).toBe(200);
      expect(ack.body).toEqual({
        response_action: 'errors',
        errors: { [blockId]: explain(en, refusal(id)) },
      });
      expect(await storeState(id, team)).toEqual(before);
    },
  );

  it('lets an instance whose validation failed use the credit it holds, with none left', async () => {
    const ctx = bot.certops.useCases;
    const [id = ''] = await buy('held OV multi', { v: 'OV', d: 'multi', quota: 2, team: 'held' });
    await recordPurchases(ctx, 'UAPPROVER1', [{ kind: 'hosting_credits', team: 'held', count: 1 }]);
    const first = await applyForCertificate(ctx, {
      certificateId: id,
      requesterId: HELD,
      domains: ['held.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'He Ld', email: 'he@example.com', phone: '+8613800002222' },
      },
      hosting: true,
    });
    if (!first.ok) throw new Error(JSON.stringify(first.refusal));
    const appId = first.value.application.id;
    await decideApplication(ctx, {
      applicationId: appId,
      deciderId: 'UAPPROVER1',
      decision: 'approve',
    });
    await recordValidationFailed(ctx, { applicationId: appId, actor: 'UAPPROVER1', reason: 'DNS' });
    expect(await ctx.store.hostingCredits.get('held')).toMatchObject({ purchased: 1, held: 1 });

    const opened = await open(HELD, `apply ${id}`);
    expect(textOf(opened, APPLY_IDS.hosting, 'hint')).toBe(en('apply.hosting.held'));
    const [contact] = await ctx.store.contacts.listOfTeam('held');
    const ack = await driver.submit(opened, HELD, {
      [APPLY_IDS.domains]: 'held.example.com',
      [methodBlockOf(opened)]: 'dns',
      [APPLY_IDS.contact]: contact?.id ?? '',
      [APPLY_IDS.hosting]: ['on'],
    });
    expect(ack).toEqual({ status: 200, body: undefined });
    const again = (await ctx.store.certificates.get(id))?.openApplicationId ?? '';
    expect(await ctx.store.applications.get(again)).toMatchObject({
      status: 'awaiting_approval',
      hosting: true,
    });
    // Approved, it reuses the held credit: still one held, none taken.
    await decideApplication(ctx, {
      applicationId: again,
      deciderId: 'UAPPROVER1',
      decision: 'approve',
    });
    expect(await ctx.store.hostingCredits.get('held')).toEqual({
      team: 'held',
      purchased: 1,
      held: 1,
      spent: 0,
    });
  });

  it('refuses a tampered submission (a contact or method not offered) inline', async () => {
    const id = ids.poor ?? '';
    const before = await storeState(id, 'poor');
    const opened = await open(POOR, `apply ${id}`);
    // What a forged payload could carry: another team's contact id, an unknown method.
    (element(opened, APPLY_IDS.contact).options as Json[]).unshift({
      text: { type: 'plain_text', text: 'forged' },
      value: SEEDED_CONTACT.id,
    });
    (element(opened, methodBlockOf(opened)).options as Json[]).push({
      text: { type: 'plain_text', text: 'forged' },
      value: 'carrier-pigeon',
    });
    const forgedContact = await driver.submit(opened, POOR, {
      [APPLY_IDS.domains]: 'poor.example.com',
      [methodBlockOf(opened)]: 'dns',
      [APPLY_IDS.contact]: SEEDED_CONTACT.id,
    });
    expect(forgedContact.body).toEqual({
      response_action: 'errors',
      errors: {
        [APPLY_IDS.contact]: explain(en, {
          code: 'contact.not_found',
          params: { id: SEEDED_CONTACT.id },
        }),
      },
    });
    const forgedMethod = await driver.submit(opened, POOR, {
      [APPLY_IDS.domains]: 'poor.example.com',
      [methodBlockOf(opened)]: 'carrier-pigeon',
      [APPLY_IDS.contact]: NEW_CONTACT,
    });
    expect(forgedMethod.body).toEqual({
      response_action: 'errors',
      errors: { [methodBlockOf(opened)]: en('apply.error.method') },
    });
    expect(await storeState(id, 'poor')).toEqual(before);
  });

  it('creates one application when the same view is submitted twice (a retry)', async () => {
    const id = ids.twice ?? '';
    const opened = await open(ALICE, `apply ${id}`);
    const inputs = {
      [APPLY_IDS.domains]: 'api.example.com',
      [methodBlockOf(opened)]: 'file',
      [APPLY_IDS.contact]: SEEDED_CONTACT.id,
    };
    const first = await driver.submit(opened, ALICE, inputs);
    expect(first).toEqual({ status: 200, body: undefined });
    const [appId = ''] = (await storeState(id)).applications;
    const second = await driver.submit(opened, ALICE, inputs);
    expect(second.body).toEqual({
      response_action: 'errors',
      errors: {
        [APPLY_IDS.instance]: explain(en, {
          code: 'request.open',
          params: { id, applicationId: appId },
        }),
      },
    });
    const after = await storeState(id);
    expect(after.applications).toEqual([appId]);
    expect(await bot.certops.store.applications.get(appId)).toMatchObject({
      contactId: SEEDED_CONTACT.id,
      validationMethod: 'file',
      hosting: false,
    });
  });

  it('creates one application when two submissions of the same view race', async () => {
    const id = ids.race ?? '';
    const opened = await open(ALICE, `apply ${id}`);
    const inputs = {
      [APPLY_IDS.domains]: 'race.example.com',
      [methodBlockOf(opened)]: 'dns',
      [APPLY_IDS.contact]: SEEDED_CONTACT.id,
    };
    const acks = await Promise.all([
      driver.submit(opened, ALICE, inputs),
      driver.submit(opened, ALICE, inputs),
    ]);
    const accepted = acks.filter((a) => a.body === undefined);
    const refused = acks.filter((a) => a.body !== undefined);
    expect(accepted).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body).toMatchObject({ response_action: 'errors' });
    expect(Object.keys((refused[0]?.body?.errors ?? {}) as Json)).toEqual([APPLY_IDS.instance]);
    expect((await storeState(id)).applications).toHaveLength(1);
  });

  it('sends the confirmation as a DM when the channel refuses the ephemeral', async () => {
    const id = ids.dm ?? '';
    const opened = await open(ALICE, `apply ${id}`, 'C_PRIVATE');
    bot.slack.failNext('chat.postEphemeral', {
      status: 200,
      body: { ok: false, error: 'channel_not_found' },
    });
    const since = bot.slack.calls.length;
    const ack = await driver.submit(opened, ALICE, {
      [APPLY_IDS.domains]: 'dm.example.com',
      [methodBlockOf(opened)]: 'dns',
      [APPLY_IDS.contact]: SEEDED_CONTACT.id,
    });
    expect(ack.body).toBeUndefined();
    const dm = await bot.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === ALICE &&
        bot.slack.calls.indexOf(c) >= since,
    );
    const [appId = ''] = (await storeState(id)).applications;
    expect(String(dm.params.text)).toContain(
      en('apply.sent', { id: appId, instance: 'dm DV multi' }),
    );
    expect(String(dm.params.text)).toContain('• dm.example.com');
  });

  // --- language and limits ---

  it('speaks Simplified Chinese to a zh-CN user', async () => {
    const view = await open(ZHANG, `apply ${ids.errors}`);
    expect((view.view.title as Json).text).toBe(zh('apply.modal.title'));
    expect((view.view.submit as Json).text).toBe(zh('apply.modal.submit'));
    expect(textOf(view, APPLY_IDS.instance, 'label')).toBe(zh('apply.instance.label'));
    expect(textOf(view, APPLY_IDS.domains, 'label')).toBe(zh('apply.domains.label'));
    expect(contextText(view, APPLY_IDS.remaining)).toBe(
      zh('apply.domains.remaining', { count: 3 }),
    );
    expect(optionTexts(view, methodBlockOf(view))).toEqual([
      zh('apply.method.dns'),
      zh('apply.method.file'),
      zh('apply.method.email'),
    ]);
    expect(optionTexts(view, APPLY_IDS.contact)).toContain(zh('apply.contact.new'));
    expect(zh('apply.modal.title')).not.toBe(en('apply.modal.title'));

    const ack = await driver.submit(view, ZHANG, {
      [APPLY_IDS.domains]: '*.example.com',
      [methodBlockOf(view)]: 'dns',
      [APPLY_IDS.contact]: SEEDED_CONTACT.id,
    });
    expect(ack.body).toEqual({
      response_action: 'errors',
      errors: {
        [APPLY_IDS.domains]: explain(zh, {
          code: 'domain.wildcard_not_allowed',
          params: { domain: '*.example.com', domainType: 'multi' },
        }),
      },
    });
  });

  it('past 100 instances the select is a search served from the team index', async () => {
    const view = await open(BIG, 'apply');
    expect(element(view, APPLY_IDS.instance)).toMatchObject({
      type: 'external_select',
      action_id: APPLY_IDS.instance,
      min_query_length: 0,
    });
    expect(contextText(view, APPLY_IDS.instanceNote)).toBe(
      escapeMrkdwn(en('apply.instance.search', { total: 105 })),
    );
    // Opening the menu: the first 100 by name. Typing: names (case ignored) or ids by prefix.
    const options = async (typed: string) => {
      const ack = await driver.suggest(view, BIG, APPLY_IDS.instance, typed);
      expect(ack.status).toBe(200);
      return ((ack.body?.options ?? []) as Json[]).map((o) => o.value as string);
    };
    const first = await options('');
    expect(first).toHaveLength(100);
    expect(first).toContain(ids.bigFirst);
    expect(first).not.toContain(ids.bigLast);
    const more = await options('ZZ M');
    expect(more).toHaveLength(5);
    expect(more).toContain(ids.bigLast);
    expect(await options(ids.bigLast ?? '')).toEqual([ids.bigLast]);
    expect(await options('nothing like it')).toEqual([]);
    // Someone of another team sees none of team big's.
    const ack = await driver.suggest(view, ALICE, APPLY_IDS.instance, 'zz');
    expect(ack.body?.options).toEqual([]);
    // Chosen from the search: the modal is refreshed for it (its method, its quota).
    const chosen = await driver.act(view, BIG, APPLY_IDS.instance, {
      [APPLY_IDS.instance]: ids.bigLast ?? '',
    });
    expect((element(chosen, APPLY_IDS.instance).initial_option as Json).value).toBe(ids.bigLast);
    // One past the first 100 can still be named, and is then chosen.
    const named = await open(BIG, `apply ${ids.bigLast}`);
    expect((element(named, APPLY_IDS.instance).initial_option as Json).value).toBe(ids.bigLast);
    // Big teams have no hosting credits: the hint says so.
    expect(textOf(view, APPLY_IDS.hosting, 'hint')).toBe(en('apply.hosting.none'));
  });
});
