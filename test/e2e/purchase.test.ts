import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importPurchases,
  parseImportArgs,
  validatePurchaseFile,
} from '../../src/cli/import-purchases.js';
import { PURCHASE } from '../../src/slack/features/purchase/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { domainTypeLabel, refusalText } from '../../src/slack/views/format.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { type InputValue, type OpenedView, SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');

const APPROVER = 'UAPPROVER1';
const APPROVER_ZH = 'UAPPROVER2';
const ADMIN = 'UADMIN1';
const ALICE = 'UALICE'; // team default, neither admin nor approver

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/purchases/${name}`, import.meta.url), 'utf8');

/** A full, valid instances form (block id -> value). */
const INSTANCES: Record<string, InputValue> = {
  [PURCHASE.brand]: 'DigiCert',
  [PURCHASE.validationType]: 'OV',
  [PURCHASE.domainType]: 'multi',
  [PURCHASE.grade]: 'pro',
  [PURCHASE.validityYears]: '1',
  [PURCHASE.domainQuota]: '5',
  [PURCHASE.quantity]: '3',
  [PURCHASE.team]: 'default',
};

describe('/cert purchase: recording purchased instances and hosting credits', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;

  beforeAll(async () => {
    bot = await startBot({ env: { CERTOPS_ADMINS: ADMIN } });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(APPROVER_ZH, 'zh-CN');
  });
  afterAll(async () => {
    await bot?.stop();
  });

  async function open(user: string): Promise<OpenedView> {
    const { status, since } = await driver.command(user, 'purchase', { channelId: 'CBUY' });
    expect(status).toBe(200);
    return driver.view(since, 'views.open');
  }

  async function storeCounts(team = 'default') {
    const store = bot.certops.store;
    return {
      certificates: await store.certificates.count(),
      team: (await store.certificates.idsOfTeam(team)).length,
      credits: await store.hostingCredits.get(team),
    };
  }

  const blockIds = (view: OpenedView) => (view.view.blocks as Json[]).map((b) => b.block_id);

  it('refuses people who are neither admins nor approvers, without a modal', async () => {
    const { responseUrl, since } = await driver.command(ALICE, 'purchase');
    const reply = await driver.reply(responseUrl);
    expect(reply.params.response_type).toBe('ephemeral');
    expect(reply.params.text).toBe(
      refusalText(en, { code: 'purchase.not_allowed', params: { user: ALICE } }),
    );
    expect(bot.slack.calls.slice(since).some((c) => c.method === 'views.open')).toBe(false);
  });

  it('records instances from the modal over signed HTTP and lists their ids', async () => {
    const before = await storeCounts();
    const view = await open(APPROVER);
    expect(view.view.callback_id).toBe(PURCHASE.callback);
    expect((view.view.title as Json).text).toBe(en('purchase.modal.title'));
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ k: 'instances', ch: 'CBUY' });
    expect(blockIds(view)).toEqual(
      expect.arrayContaining([PURCHASE.kind, PURCHASE.brand, PURCHASE.domainQuota, PURCHASE.team]),
    );
    expect(blockIds(view)).not.toContain(PURCHASE.count);

    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, APPROVER, INSTANCES);
    expect(ack).toEqual({ status: 200, body: undefined });
    const told = await driver.ephemeral(since, APPROVER, 'CBUY');
    expect(told.method).toBe('chat.postEphemeral');
    expect(told.params.channel).toBe('CBUY');

    const after = await storeCounts();
    expect(after.team).toBe(before.team + 3);
    const ids = (await bot.certops.store.certificates.idsOfTeam('default')).filter((id) =>
      String(told.params.text).includes(id),
    );
    expect(ids).toHaveLength(3);
    const certs = await bot.certops.store.certificates.getMany(ids);
    for (const cert of certs) {
      expect(cert).toMatchObject({
        state: 'pending_application',
        source: 'purchased',
        domainQuota: 5,
        validityYears: 1,
        spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'multi', grade: 'pro' },
      });
    }
    expect(told.params.text).toBe(
      en('purchase.recorded_instances', {
        count: 3,
        team: 'default',
        brand: 'DigiCert',
        type: 'OV',
        domainType: domainTypeLabel(en, 'multi'),
        grade: 'pro',
        years: 1,
        quota: 5,
        ids: ids
          .sort((a, b) => String(told.params.text).indexOf(a) - String(told.params.text).indexOf(b))
          .map((id) => `\`${id}\``)
          .join(', '),
      }),
    );
  });

  it('lists at most 20 ids and counts the rest', async () => {
    const view = await open(APPROVER);
    const since = bot.slack.calls.length;
    await driver.submit(view, APPROVER, { ...INSTANCES, [PURCHASE.quantity]: '25' });
    const text = String((await driver.ephemeral(since, APPROVER, 'CBUY')).params.text);
    expect(text.match(/`c[a-z0-9]+`/g)).toHaveLength(20);
    expect(text).toContain(en('common.more', { count: 5 }));
    const summary = en('purchase.recorded_instances', {
      count: 25,
      team: 'default',
      brand: 'DigiCert',
      type: 'OV',
      domainType: domainTypeLabel(en, 'multi'),
      grade: 'pro',
      years: 1,
      quota: 5,
      ids: '',
    });
    expect(text.split('\n')[0]).toBe(summary.split('\n')[0]);
  });

  it('switches to hosting credits with the radio and records them', async () => {
    const view = await open(ADMIN);
    const switched = await driver.act(view, ADMIN, PURCHASE.kind, {
      [PURCHASE.kind]: 'hosting_credits',
    });
    expect(switched.call.params.view_id).toBe(view.id);
    expect(switched.call.params.hash).toBe(view.hash);
    expect(blockIds(switched)).toEqual([undefined, PURCHASE.kind, PURCHASE.team, PURCHASE.count]);
    expect(JSON.parse(String(switched.view.private_metadata))).toMatchObject({
      k: 'hosting_credits',
    });

    const before = await storeCounts();
    const since = bot.slack.calls.length;
    const ack = await driver.submit(switched, ADMIN, {
      [PURCHASE.team]: 'default',
      [PURCHASE.count]: '5',
    });
    expect(ack.body).toBeUndefined();
    const told = await driver.ephemeral(since, ADMIN, 'CBUY');
    const after = await storeCounts();
    expect(told.params.text).toBe(
      en('purchase.recorded_credits', {
        count: 5,
        team: 'default',
        ledger: en('common.credits', {
          ...after.credits,
          team: 'default',
          available: after.credits.purchased - after.credits.held - after.credits.spent,
        }),
      }),
    );
    expect(after.credits).toEqual({ ...before.credits, purchased: before.credits.purchased + 5 });
    expect(after.certificates).toBe(before.certificates);

    // And back again: the instance fields return.
    const back = await driver.act(switched, ADMIN, PURCHASE.kind, { [PURCHASE.kind]: 'instances' });
    expect(blockIds(back)).toContain(PURCHASE.brand);
    expect(blockIds(back)).not.toContain(PURCHASE.count);
  });

  it('shows each zod issue under its own input and records nothing', async () => {
    const view = await open(APPROVER);
    const before = await storeCounts();
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, APPROVER, {
      ...INSTANCES,
      [PURCHASE.brand]: '   ',
      [PURCHASE.validationType]: undefined,
      [PURCHASE.quantity]: 'three',
      [PURCHASE.team]: 'Web Team',
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toEqual({
      response_action: 'errors',
      errors: {
        [PURCHASE.brand]: en('purchase.error.required'),
        [PURCHASE.validationType]: en('purchase.error.choose'),
        [PURCHASE.quantity]: en('purchase.error.whole_number'),
        [PURCHASE.team]: en('purchase.error.team'),
      },
    });
    // The quota rule spans two fields: zod checks it once the fields themselves are right.
    const single = await driver.submit(view, APPROVER, {
      ...INSTANCES,
      [PURCHASE.domainType]: 'single',
      [PURCHASE.domainQuota]: '3',
    });
    expect(single.body).toEqual({
      response_action: 'errors',
      errors: { [PURCHASE.domainQuota]: en('purchase.error.single_quota') },
    });
    const tooMany = await driver.submit(view, APPROVER, {
      ...INSTANCES,
      [PURCHASE.quantity]: '101',
    });
    expect(tooMany.body).toEqual({
      response_action: 'errors',
      errors: { [PURCHASE.quantity]: en('purchase.error.at_most', { max: 100 }) },
    });
    const credits = await driver.act(view, APPROVER, PURCHASE.kind, {
      [PURCHASE.kind]: 'hosting_credits',
    });
    const none = await driver.submit(credits, APPROVER, {
      [PURCHASE.team]: 'default',
      [PURCHASE.count]: '0',
    });
    expect(none.body).toEqual({
      response_action: 'errors',
      errors: { [PURCHASE.count]: en('purchase.error.at_least', { min: 1 }) },
    });
    const empty = await driver.submit(credits, APPROVER, {
      [PURCHASE.team]: '',
      [PURCHASE.count]: '',
    });
    expect(empty.body).toEqual({
      response_action: 'errors',
      errors: {
        [PURCHASE.team]: en('purchase.error.team'),
        [PURCHASE.count]: en('purchase.error.required'),
      },
    });
    expect(await storeCounts()).toEqual(before);
    expect(
      bot.slack.calls
        .slice(since)
        .filter((c) => c.method.startsWith('chat.') || c.method.startsWith('response_url')),
    ).toEqual([]);
  });

  it('refuses a submission from someone who lost the right, recording nothing', async () => {
    const view = await open(APPROVER);
    const before = await storeCounts();
    const since = bot.slack.calls.length;
    // A payload replayed by someone else: the use case checks the submitter again.
    const ack = await driver.submit(view, ALICE, INSTANCES);
    expect(ack.body).toBeUndefined();
    const told = await driver.ephemeral(since, ALICE, 'CBUY');
    expect(told.params.text).toBe(
      en('purchase.refused', {
        reason: refusalText(en, { code: 'purchase.not_allowed', params: { user: ALICE } }),
      }),
    );
    expect(await storeCounts()).toEqual(before);
  });

  it('answers by DM when the form comes back unreadable, recording nothing', async () => {
    const view = await open(APPROVER);
    const before = await storeCounts();
    const since = bot.slack.calls.length;
    const tampered = { ...view, view: { ...view.view, private_metadata: '{"k":"gift_cards"}' } };
    const ack = await driver.submit(tampered, APPROVER, INSTANCES);
    expect(ack.body).toBeUndefined();
    const told = await driver.dm(since, APPROVER, en('purchase.error.form'));
    expect(told.method).toBe('chat.postMessage');
    expect(await storeCounts()).toEqual(before);
  });

  it('speaks Chinese to a zh-CN approver', async () => {
    const view = await open(APPROVER_ZH);
    expect((view.view.title as Json).text).toBe(zh('purchase.modal.title'));
    expect(JSON.stringify(view.view.blocks)).toContain(zh('purchase.kind.hosting_credits'));
    const bad = await driver.submit(view, APPROVER_ZH, { ...INSTANCES, [PURCHASE.quantity]: 'x' });
    expect(bad.body).toEqual({
      response_action: 'errors',
      errors: { [PURCHASE.quantity]: zh('purchase.error.whole_number') },
    });
    const credits = await driver.act(view, APPROVER_ZH, PURCHASE.kind, {
      [PURCHASE.kind]: 'hosting_credits',
    });
    const since = bot.slack.calls.length;
    await driver.submit(credits, APPROVER_ZH, {
      [PURCHASE.team]: 'default',
      [PURCHASE.count]: '2',
    });
    const told = await driver.ephemeral(since, APPROVER_ZH, 'CBUY');
    const ledger = await bot.certops.store.hostingCredits.get('default');
    expect(told.params.text).toBe(
      zh('purchase.recorded_credits', {
        count: 2,
        team: 'default',
        ledger: zh('common.credits', {
          ...ledger,
          available: ledger.purchased - ledger.held - ledger.spent,
        }),
      }),
    );
    expect(String(told.params.text)).toContain('托管服务');
  });

  // --- the bulk file: npm run import-purchases -- --as <user> <file> ---

  it('parses the command line of import-purchases', () => {
    expect(parseImportArgs(['--as', 'UADMIN1', 'file.json'])).toEqual({
      ok: true,
      actor: 'UADMIN1',
      file: 'file.json',
    });
    expect(parseImportArgs(['file.json', '--as=W0ADMIN'])).toEqual({
      ok: true,
      actor: 'W0ADMIN',
      file: 'file.json',
    });
    expect(parseImportArgs(['file.json'])).toMatchObject({ ok: false });
    expect(parseImportArgs(['--as'])).toMatchObject({ ok: false });
    expect(parseImportArgs(['--as', 'alice', 'f.json'])).toMatchObject({ ok: false });
    expect(parseImportArgs(['--as', 'UADMIN1'])).toMatchObject({ ok: false });
    expect(parseImportArgs(['--as', 'UADMIN1', 'a.json', 'b.json'])).toMatchObject({ ok: false });
    expect(parseImportArgs(['--as', 'UADMIN1', '--force', 'a.json'])).toMatchObject({ ok: false });
  });

  it('validates a whole file, one line per problem with its index and path', () => {
    const good = validatePurchaseFile(fixture('example.json'));
    expect(good.ok).toBe(true);
    if (good.ok)
      expect(good.records.map((r) => r.kind)).toEqual([
        'instances',
        'instances',
        'hosting_credits',
      ]);

    const bad = validatePurchaseFile(fixture('invalid.json'));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.slice(0, p.indexOf(':')))).toEqual([
      '[0].domainQuota',
      '[1].team',
      '[1].count',
      '[2].brand',
      '[2].validationType',
      '[2].validityYears',
      '[3].kind',
    ]);
    expect(bad.problems[0]).toBe(
      '[0].domainQuota: single and wildcard instances bind exactly one domain name',
    );
    for (const problem of bad.problems) expect(problem).not.toContain('\n');

    expect(validatePurchaseFile('{"kind":"instances"}').ok).toBe(false);
    expect(validatePurchaseFile('[]')).toEqual({
      ok: false,
      problems: ['(file): the file holds no purchase records'],
    });
    const notJson = validatePurchaseFile('[{,');
    expect(notJson.ok).toBe(false);
    if (!notJson.ok) expect(notJson.problems[0]).toMatch(/^\(file\): not valid JSON/);
  });

  it('imports the example file against the store in one change, and refuses all or nothing', async () => {
    const store = bot.certops.store;
    const before = {
      total: await store.certificates.count(),
      web: await store.hostingCredits.get('web'),
    };
    const imported = await importPurchases(bot.certops.useCases, ADMIN, fixture('example.json'));
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(imported.outcome.certificateIds).toHaveLength(5);
    expect(imported.outcome.credits).toEqual([{ team: 'web', count: 20 }]);
    const certs = await store.certificates.getMany([...imported.outcome.certificateIds]);
    expect(certs.map((c) => [c.team, c.name])).toEqual([
      ['web', 'Web shop OV'],
      ['web', 'Web shop OV'],
      ['web', 'Web shop OV'],
      ['default', 'GeoTrust DV wildcard'],
      ['default', 'GeoTrust DV wildcard'],
    ]);
    expect((await store.hostingCredits.get('web')).purchased).toBe(before.web.purchased + 20);
    const after = await store.certificates.count();
    expect(after).toBe(before.total + 5);

    // Invalid file, too many instances, or someone not allowed: nothing at all is written.
    const invalid = await importPurchases(bot.certops.useCases, ADMIN, fixture('invalid.json'));
    expect(invalid).toMatchObject({ ok: false });
    const big = JSON.stringify(
      Array.from({ length: 11 }, () => ({
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'OV',
        domainType: 'multi',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 2,
        quantity: 100,
        team: 'web',
      })),
    );
    const tooMany = await importPurchases(bot.certops.useCases, ADMIN, big);
    expect(tooMany).toEqual({
      ok: false,
      problems: ['(file): 1100 instances in one file, at most 1000: split the file'],
    });
    const refused = await importPurchases(bot.certops.useCases, ALICE, fixture('example.json'));
    expect(refused).toEqual({
      ok: false,
      problems: [
        `${ALICE} may not record purchases: only CERTOPS_ADMINS and CERTOPS_APPROVERS may`,
      ],
    });
    expect(await store.certificates.count()).toBe(after);
    expect((await store.hostingCredits.get('web')).purchased).toBe(before.web.purchased + 20);
  });
});
