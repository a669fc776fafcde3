import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Refusal } from '../../src/domain/result.js';
import type { ValidationType } from '../../src/domain/spec.js';
import { COMBINE, withBlockId } from '../../src/slack/features/combine/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { refusalText } from '../../src/slack/views/format.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { requestCombination } from '../../src/usecases/request-combination.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { type OpenedView, SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');

const ALICE = 'UALICE'; // team default
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese
const OTHER = 'UOTHER'; // team other
const EMPTY = 'UEMPTY'; // team empty: nothing bought
const BIG = 'UBIG'; // team big: 102 combinable instances

interface Bought {
  name: string;
  brand?: string;
  type?: ValidationType;
  quota?: number;
  years?: number;
  team?: string;
  quantity?: number;
}

describe('/cert combine: combining OV/EV instances (合并证书)', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  const ids: Record<string, string> = {};

  async function buy(spec: Bought): Promise<string[]> {
    const result = await recordPurchases(bot.certops.useCases, 'UAPPROVER1', [
      {
        kind: 'instances',
        brand: spec.brand ?? 'DigiCert',
        validationType: spec.type ?? 'OV',
        domainType: 'multi',
        grade: 'standard',
        validityYears: spec.years ?? 1,
        domainQuota: spec.quota ?? 2,
        quantity: spec.quantity ?? 1,
        team: spec.team ?? 'default',
        name: spec.name,
      },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return [...result.value.certificateIds];
  }
  const one = async (spec: Bought) => (await buy(spec))[0] ?? '';

  beforeAll(async () => {
    bot = await startBot({
      env: { CERTOPS_TEAMS: `other=${OTHER}; empty=${EMPTY}; big=${BIG}` },
    });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
    ids.a = await one({ name: 'a current', quota: 2 });
    ids.b = await one({ name: 'b partner', quota: 3 });
    ids.c = await one({ name: 'c partner', quota: 1 });
    ids.d = await one({ name: 'd ev', type: 'EV' });
    ids.e = await one({ name: 'e geotrust', brand: 'GeoTrust' });
    ids.f = await one({ name: 'f dv', type: 'DV' });
    ids.g = await one({ name: 'g two years', years: 2 });
    const uploaded = await uploadCertificate(bot.certops.useCases, {
      pem: readFileSync(new URL('../fixtures/x509/leaf-ov.pem', import.meta.url), 'utf8'),
      uploaderId: ALICE,
      name: 'h uploaded',
    });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.refusal));
    ids.h = uploaded.value.certificate.id;
    await buy({ name: 'z dv filler', type: 'DV', quantity: 10 });
    ids.other = await one({ name: 'other OV', team: 'other' });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  // --- helpers ---

  async function open(user: string, text: string): Promise<OpenedView> {
    const { status, since } = await driver.command(user, text, { channelId: 'CMERGE' });
    expect(status).toBe(200);
    return driver.view(since, 'views.open');
  }

  async function answer(user: string, text: string): Promise<string> {
    const { responseUrl, since } = await driver.command(user, text);
    const reply = await driver.reply(responseUrl);
    expect(reply.params.response_type).toBe('ephemeral');
    expect(bot.slack.calls.slice(since).some((c) => c.method === 'views.open')).toBe(false);
    return String(reply.params.text);
  }

  const blocks = (view: OpenedView) => view.view.blocks as Json[];
  const block = (view: OpenedView, id: string) => blocks(view).find((b) => b.block_id === id);
  const pickSelect = (view: OpenedView) => block(view, COMBINE.pick)?.accessory as Json;
  const candidates = (view: OpenedView, current: string) =>
    (block(view, withBlockId(current))?.element as Json | undefined) ?? {};
  const values = (element: Json, key = 'options') =>
    ((element[key] as Json[] | undefined) ?? []).map((o) => o.value);
  const quotaText = (view: OpenedView) =>
    ((block(view, COMBINE.quota)?.text as Json | undefined)?.text as string) ?? '';
  const contextTexts = (view: OpenedView) =>
    blocks(view)
      .filter((b) => b.type === 'context')
      .flatMap((b) => (b.elements as Json[]).map((e) => String(e.text)));
  const why = (refusal: Refusal) => refusalText(en, refusal);
  const quota = (total: number, current: number, added: number, count: number) =>
    en('combine.quota', { total, current, added, count });

  async function held(...certIds: string[]) {
    const certs = await bot.certops.store.certificates.getMany(certIds);
    return certs.map((c) => c.openApplicationId);
  }

  // --- refusals without a modal ---

  it('says so when the person has nothing that can be combined', async () => {
    expect(await answer(EMPTY, 'combine')).toBe(en('combine.none'));
  });

  it('explains why a named instance cannot be combined into', async () => {
    const cases: Array<[string, Refusal]> = [
      ['cnope0000', { code: 'certificate.not_found', params: { id: 'cnope0000' } }],
      [
        ids.other ?? '',
        { code: 'certificate.other_team', params: { id: ids.other ?? '', team: 'other' } },
      ],
      [
        ids.f ?? '',
        { code: 'combine.not_ov_ev', params: { id: ids.f ?? '', validationType: 'DV' } },
      ],
      [ids.h ?? '', { code: 'combine.state', params: { id: ids.h ?? '', state: 'uploaded' } }],
      [ids.g ?? '', { code: 'combine.validity', params: { id: ids.g ?? '', validityYears: 2 } }],
    ];
    for (const [id, refusal] of cases) {
      expect(await answer(ALICE, `combine ${id}`)).toBe(
        en('combine.refused', { id, reason: why(refusal) }),
      );
    }
  });

  // --- the modal ---

  it('offers only eligible instances, and says why each other one is not', async () => {
    const view = await open(ALICE, 'combine');
    expect(view.view.callback_id).toBe(COMBINE.callback);
    expect((view.view.title as Json).text).toBe(en('combine.modal.title'));
    expect((view.view.submit as Json).text).toBe(en('combine.modal.submit'));
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ c: ids.a, ch: 'CMERGE' });
    // The instances that can be combined into, the first one chosen.
    expect(values(pickSelect(view))).toEqual([ids.a, ids.b, ids.c, ids.d, ids.e]);
    expect((pickSelect(view).initial_option as Json).value).toBe(ids.a);
    // Only the same brand and type, 1 year, not applied for.
    const select = candidates(view, ids.a ?? '');
    expect(select.type).toBe('multi_static_select');
    expect(block(view, withBlockId(ids.a ?? ''))?.dispatch_action).toBe(true);
    expect(values(select)).toEqual([ids.b, ids.c]);
    expect(quotaText(view)).toBe(quota(2, 2, 0, 0));
    // The others one could apply for, with their reasons: 4 named + 10 fillers, 8 listed; the
    // rest counted with the instances not applicable now (h).
    const context = contextTexts(view);
    expect(context).toContain(en('combine.ineligible.heading'));
    const item = (name: string, id: string, reasons: Refusal[]) =>
      en('combine.ineligible.item', { name, id, reasons: reasons.map(why).join(' ') });
    const d = ids.d ?? '';
    const e = ids.e ?? '';
    const f = ids.f ?? '';
    const g = ids.g ?? '';
    const h = ids.h ?? '';
    expect(context).toEqual(
      expect.arrayContaining([
        item('d ev', d, [
          {
            code: 'combine.type_mismatch',
            params: { id: d, validationType: 'EV', expected: 'OV' },
          },
        ]),
        item('e geotrust', e, [
          {
            code: 'combine.brand_mismatch',
            params: { id: e, brand: 'GeoTrust', expected: 'DigiCert' },
          },
        ]),
        item('f dv', f, [
          { code: 'combine.not_ov_ev', params: { id: f, validationType: 'DV' } },
          {
            code: 'combine.type_mismatch',
            params: { id: f, validationType: 'DV', expected: 'OV' },
          },
        ]),
        item('g two years', g, [{ code: 'combine.validity', params: { id: g, validityYears: 2 } }]),
      ]),
    );
    // h is uploaded (not applicable now): counted with the rest, not read.
    expect(context.join('\n')).not.toContain(h);
    expect(context).toContain(en('common.more', { count: 7 }));
    // The no-refund confirmation and what happens next.
    const confirm = block(view, COMBINE.confirm);
    expect(confirm?.type).toBe('input');
    expect(
      (((confirm?.element as Json | undefined)?.options as Json[]) ?? []).map(
        (o) => (o.text as Json).text,
      ),
    ).toEqual([en('combine.confirm.option')]);
    expect(context).toContain(en('combine.after'));
  });

  it('sums the domain quota as instances are selected', async () => {
    const view = await open(ALICE, `combine ${ids.a}`);
    const withB = withBlockId(ids.a ?? '');
    const both = await driver.act(view, ALICE, withB, { [withB]: [ids.b ?? '', ids.c ?? ''] });
    expect(both.call.params.view_id).toBe(view.id);
    expect(both.call.params.hash).toBe(view.hash);
    expect(quotaText(both)).toBe(quota(6, 2, 4, 2));
    // Same blocks, so Slack keeps the selection; it is also the initial one.
    expect(blocks(both).map((b) => b.block_id)).toEqual(blocks(view).map((b) => b.block_id));
    expect(values(candidates(both, ids.a ?? ''), 'initial_options')).toEqual([ids.b, ids.c]);
    const justC = await driver.act(both, ALICE, withB, { [withB]: [ids.c ?? ''] });
    expect(quotaText(justC)).toBe(quota(3, 2, 1, 1));
    expect(justC.call.params.hash).toBe(both.hash);
  });

  it('re-renders the candidates when another instance is picked', async () => {
    const view = await open(ALICE, 'combine');
    const ev = await driver.act(view, ALICE, COMBINE.pick, { [COMBINE.pick]: ids.d });
    expect(JSON.parse(String(ev.view.private_metadata))).toEqual({ c: ids.d, ch: 'CMERGE' });
    expect((pickSelect(ev).initial_option as Json).value).toBe(ids.d);
    expect(block(ev, withBlockId(ids.d ?? ''))).toBeUndefined();
    expect(JSON.stringify(ev.view.blocks)).toContain(en('combine.no_candidates'));
    expect(ev.view.submit).toBeUndefined();
    expect(block(ev, COMBINE.confirm)).toBeUndefined();

    const b = await driver.act(ev, ALICE, COMBINE.pick, { [COMBINE.pick]: ids.b });
    expect(values(candidates(b, ids.b ?? ''))).toEqual([ids.a, ids.c]);
    expect(quotaText(b)).toBe(quota(3, 3, 0, 0));
    // The candidates' block is new, so nothing chosen for A is carried over.
    expect(block(b, withBlockId(ids.a ?? ''))).toBeUndefined();
  });

  it('keeps mistakes on their inputs and changes nothing', async () => {
    const view = await open(ALICE, `combine ${ids.a}`);
    const withB = withBlockId(ids.a ?? '');
    const before = await held(ids.a ?? '', ids.b ?? '', ids.c ?? '');
    const nothing = await driver.submit(view, ALICE, {});
    expect(nothing.body).toEqual({
      response_action: 'errors',
      errors: {
        [withB]: en('combine.error.nothing_selected'),
        [COMBINE.confirm]: en('combine.error.confirm'),
      },
    });
    const unconfirmed = await driver.submit(view, ALICE, { [withB]: [ids.b ?? ''] });
    expect(unconfirmed.body).toEqual({
      response_action: 'errors',
      errors: { [COMBINE.confirm]: en('combine.error.confirm') },
    });
    expect(await held(ids.a ?? '', ids.b ?? '', ids.c ?? '')).toEqual(before);
    expect(before).toEqual([undefined, undefined, undefined]);
    expect(await bot.certops.store.applications.idsOfCertificate(ids.a ?? '')).toEqual([]);
  });

  it('refuses, on the select, an instance that became ineligible after the modal opened', async () => {
    const current = await one({ name: 'race current' });
    const partner = await one({ name: 'race partner' });
    const third = await one({ name: 'race third' });
    const view = await open(ALICE, `combine ${current}`);
    expect(values(candidates(view, current))).toEqual(expect.arrayContaining([partner, third]));
    // Meanwhile, someone else combines the partner elsewhere.
    const elsewhere = await requestCombination(bot.certops.useCases, {
      certificateId: partner,
      requesterId: ALICE,
      combineWith: [third],
      confirmedNoRefund: true,
    });
    expect(elsewhere.ok).toBe(true);
    const withB = withBlockId(current);
    const ack = await driver.submit(view, ALICE, {
      [withB]: [partner],
      [COMBINE.confirm]: [COMBINE.confirmed],
    });
    expect(ack.body).toEqual({
      response_action: 'errors',
      errors: {
        [withB]: refusalText(
          en,
          { code: 'combine.candidate_ineligible', params: { id: partner } },
          { escape: false },
        ),
      },
    });
    expect(await held(current)).toEqual([undefined]);
    expect(await bot.certops.store.applications.idsOfCertificate(current)).toEqual([]);
  });

  it('requests the combination and tells the cas-merge name and summed quota', async () => {
    const view = await open(ALICE, `combine ${ids.a}`);
    const withB = withBlockId(ids.a ?? '');
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, ALICE, {
      [withB]: [ids.b ?? '', ids.c ?? ''],
      [COMBINE.confirm]: [COMBINE.confirmed],
    });
    expect(ack).toEqual({ status: 200, body: undefined });
    const message = await driver.ephemeral(since, ALICE, 'CMERGE');
    expect(message.method).toBe('chat.postEphemeral');
    expect(message.params.channel).toBe('CMERGE');
    const [appId] = await bot.certops.store.applications.idsOfCertificate(ids.a ?? '');
    const app = await bot.certops.store.applications.get(appId ?? '');
    expect(app).toMatchObject({
      kind: 'combine',
      status: 'awaiting_approval',
      requesterId: ALICE,
      combineWith: [ids.b, ids.c],
    });
    expect(await held(ids.a ?? '', ids.b ?? '', ids.c ?? '')).toEqual([appId, appId, appId]);
    expect(message.params.text).toBe(
      en('combine.requested', {
        app: appId ?? '',
        count: 2,
        name: 'a current',
        id: ids.a ?? '',
        quota: 6,
      }),
    );
    expect(String(message.params.text)).toContain('cas-merge-…');
  });

  it('speaks Chinese to a zh-CN user', async () => {
    const current = await one({ name: 'zh current' });
    const partner = await one({ name: 'zh partner', quota: 4 });
    const view = await open(ZHANG, `combine ${current}`);
    expect((view.view.title as Json).text).toBe(zh('combine.modal.title'));
    const confirm = block(view, COMBINE.confirm)?.element as Json;
    expect(((confirm.options as Json[])[0]?.text as Json | undefined)?.text).toBe(
      zh('combine.confirm.option'),
    );
    expect(zh('combine.confirm.option')).toContain('合并后的证书实例不支持退款');
    const withB = withBlockId(current);
    const updated = await driver.act(view, ZHANG, withB, { [withB]: [partner] });
    expect(quotaText(updated)).toBe(
      zh('combine.quota', { total: 6, current: 2, added: 4, count: 1 }),
    );
    const bad = await driver.submit(updated, ZHANG, { [withB]: [partner] });
    expect(bad.body).toEqual({
      response_action: 'errors',
      errors: { [COMBINE.confirm]: zh('combine.error.confirm') },
    });
    const since = bot.slack.calls.length;
    await driver.submit(updated, ZHANG, {
      [withB]: [partner],
      [COMBINE.confirm]: [COMBINE.confirmed],
    });
    const message = await driver.ephemeral(since, ZHANG, 'CMERGE');
    expect(String(message.params.text)).toContain('已申请合并');
    expect(String(message.params.text)).toContain('cas-merge-…');
  });

  it('past 100 instances the pick and the candidates are searches served from the team index', async () => {
    await buy({ name: 'big', team: 'big', quantity: 100 });
    const more = await buy({ name: 'Big more', team: 'big', quantity: 2, quota: 3 });
    await buy({ name: 'Big ev', team: 'big', type: 'EV' });
    const view = await open(BIG, 'combine');
    const current = JSON.parse(String(view.view.private_metadata)).c as string;
    const pick = pickSelect(view);
    expect(pick).toMatchObject({ type: 'external_select', min_query_length: 0 });
    expect((pick.initial_option as Json).value).toBe(current);
    // 102 others could be applied for: none is read on opening, they are searched as one types.
    const search = candidates(view, current);
    expect(search).toMatchObject({ type: 'multi_external_select', min_query_length: 0 });
    expect(search.options).toBeUndefined();
    expect(contextTexts(view)).toEqual(
      expect.arrayContaining([
        en('combine.pick.search', { total: 103 }),
        en('combine.with.search', { total: 102 }),
      ]),
    );
    const withB = withBlockId(current);
    // Typing: those whose name starts with it (case ignored) and that can be combined.
    const typed = await driver.suggest(view, BIG, withB, 'big m');
    expect(typed.status).toBe(200);
    const found = (typed.body?.options ?? []) as Json[];
    expect(found.map((o) => (o.text as Json).text)).toEqual([
      en('combine.with.option', { name: 'Big more', quota: 3 }),
      en('combine.with.option', { name: 'Big more', quota: 3 }),
    ]);
    expect(found.map((o) => o.value).sort()).toEqual([...more].sort());
    // The EV instance is another type; the current one is not offered to itself.
    expect((await driver.suggest(view, BIG, withB, 'big e')).body?.options).toEqual([]);
    const everything = (await driver.suggest(view, BIG, withB, '')).body?.options as Json[];
    // One page of matches by name (the 100 'big' and 'Big ev'): neither the current one nor
    // the EV is offered.
    expect(everything).toHaveLength(99);
    expect(everything.map((o) => o.value)).not.toContain(current);
    // Someone of another team searching with this view's metadata is offered nothing.
    expect((await driver.suggest(view, ALICE, withB, 'big')).body?.options).toEqual([]);
    // Choosing two: the quota counts them and the view keeps them chosen.
    const updated = await driver.act(view, BIG, withB, { [withB]: more });
    expect(quotaText(updated)).toBe(quota(8, 2, 6, 2));
    expect(values(candidates(updated, current), 'initial_options').sort()).toEqual(
      [...more].sort(),
    );
    const since = bot.slack.calls.length;
    const done = await driver.submit(updated, BIG, {
      [withB]: more,
      [COMBINE.confirm]: [COMBINE.confirmed],
    });
    expect(done.body).toBeUndefined();
    const message = await driver.ephemeral(since, BIG, 'CMERGE');
    expect(String(message.params.text)).toContain(`into *big* (\`${current}\`)`);
    const [app] = await held(current);
    expect(app).toBeDefined();
    expect(await held(...more)).toEqual([app, app]);
  });
});
