import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readForm } from '../../src/slack/features/apply/index.js';
import { APPLY_IDS, applyModal, methodBlockId } from '../../src/slack/features/apply/views.js';
import { rejectModal } from '../../src/slack/features/approvals/views.js';
import {
  COMBINE,
  combineModal,
  readCombineForm,
  withBlockId,
} from '../../src/slack/features/combine/views.js';
import { readUploadForm, UPLOAD, uploadModal } from '../../src/slack/features/upload/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { readViewState } from '../../src/slack/view-state.js';
import {
  elementField,
  type FormField,
  formFields,
  type InputValue,
  parseAnswer,
  promptFor,
  submissionPayload,
  viewState,
} from '../../tools/try/form.js';
import {
  findElement,
  initialValue,
  type Json,
  pressPayload,
  stateOf,
  viewChange,
} from '../../tools/try/view-state.js';
import { application, certificate, contact } from '../support/fixtures.js';

const t = translator('en');
const lines = (...text: string[]) => text.join('\n');

const instances = [
  certificate({ id: 'c1', name: 'shop OV' }),
  certificate({ id: 'c2', name: 'api EV', domainQuota: 3 }),
];
const apply = applyModal(t, {
  instances,
  contacts: [contact()],
  credits: 2,
  privateMetadata: '{"c":"C1"}',
  selectedId: 'c2',
}) as unknown as Json;
const upload = uploadModal(t, 'C1') as unknown as Json;
const current = certificate({ id: 'c1', name: 'shop OV', domainQuota: 2 });
const combine = combineModal(t, {
  current,
  eligible: [
    certificate({ id: 'c2', name: 'api OV' }),
    certificate({ id: 'c3', name: 'www OV', domainQuota: 3 }),
  ],
  ineligible: [],
  unlisted: 0,
  choices: [current],
  selected: ['c3'],
  channelId: 'C1',
  why: () => '',
}) as unknown as Json;

function field(view: Json, blockId: string): FormField {
  const found = formFields(view).find((f) => f.blockId === blockId);
  if (!found) throw new Error(`no field ${blockId}`);
  return found;
}

describe('formFields', () => {
  it('reads the apply modal: one field per input block, in order', () => {
    const fields = formFields(apply);
    expect(fields.map((f) => [f.blockId, f.kind, f.optional, f.dispatchAction])).toEqual([
      [APPLY_IDS.instance, 'select', false, true],
      [APPLY_IDS.domains, 'multiline', false, true],
      [methodBlockId(['dns', 'file', 'email']), 'radio', false, false],
      [APPLY_IDS.contact, 'select', false, false],
      [APPLY_IDS.contactName, 'text', true, false],
      [APPLY_IDS.contactEmail, 'text', true, false],
      [APPLY_IDS.contactPhone, 'text', true, false],
      [APPLY_IDS.hosting, 'checkboxes', true, false],
    ]);
    expect(fields[0]).toEqual({
      blockId: 'apply.instance',
      actionId: 'apply.instance',
      label: 'Certificate instance',
      kind: 'select',
      elementType: 'static_select',
      optional: false,
      placeholder: 'Choose an instance',
      options: [
        { value: 'c1', text: 'shop OV · DigiCert OV single domain standard · up to 1 domain(s)' },
        { value: 'c2', text: 'api EV · DigiCert OV single domain standard · up to 3 domain(s)' },
      ],
      initial: 'c2',
      dispatchAction: true,
    });
    expect(fields[1]).toMatchObject({
      label: 'Domains to bind',
      hint: 'One per line. Wildcards such as *.example.com are not allowed for this type.',
      placeholder: 'One per line, e.g. shop.example.com',
      maxLength: 3000,
    });
    expect(fields[1]).not.toHaveProperty('initial');
  });

  it('reads the combine modal: a multi-select with its initial choice, a one-box checkbox', () => {
    expect(formFields(combine)).toEqual([
      {
        blockId: withBlockId('c1'),
        actionId: COMBINE.with,
        label: 'Instances to combine into it',
        kind: 'multiselect',
        elementType: 'multi_static_select',
        optional: false,
        hint: 'Same brand and type (OV or EV), 1-year validity, pending application or validation failed.',
        placeholder: 'Choose instances',
        options: [
          { value: 'c2', text: 'api OV · quota 1', description: 'c2' },
          { value: 'c3', text: 'www OV · quota 3', description: 'c3' },
        ],
        initial: ['c3'],
        dispatchAction: true,
      },
      {
        blockId: COMBINE.confirm,
        actionId: COMBINE.confirm,
        label: 'Refunds',
        kind: 'checkboxes',
        elementType: 'checkboxes',
        optional: false,
        options: [
          { value: 'no_refund', text: 'I understand combined instances cannot be refunded' },
        ],
        dispatchAction: false,
      },
    ]);
  });

  it('maps every element type to a kind', () => {
    const kinds = Object.entries({
      plain_text_input: 'text',
      email_text_input: 'text',
      url_text_input: 'text',
      number_input: 'number',
      static_select: 'select',
      multi_static_select: 'multiselect',
      checkboxes: 'checkboxes',
      radio_buttons: 'radio',
      users_select: 'user',
      multi_users_select: 'users',
      conversations_select: 'channel',
      channels_select: 'channel',
      datepicker: 'date',
      external_select: 'other',
      rich_text_input: 'other',
    }).map(([type, kind]) => [elementField('b', { type, action_id: 'a' }, 'L').kind, kind]);
    for (const [got, want] of kinds) expect(got).toBe(want);
    expect(elementField('b', { type: 'plain_text_input', multiline: true }, 'L').kind).toBe(
      'multiline',
    );
  });

  it('skips what is not a usable input block, and never throws', () => {
    const view = {
      blocks: [
        null,
        { type: 'input', block_id: 'x' },
        { type: 'input', element: { type: 'plain_text_input' } },
        { type: 'section', block_id: 's', accessory: { type: 'static_select' } },
        {
          type: 'input',
          block_id: 'ok',
          element: { type: 'static_select', options: 'no' },
          label: 5,
        },
      ],
    };
    expect(formFields(view)).toEqual([
      {
        blockId: 'ok',
        actionId: '',
        label: 'ok',
        kind: 'select',
        elementType: 'static_select',
        optional: false,
        options: [],
        dispatchAction: false,
      },
    ]);
    expect(formFields(undefined)).toEqual([]);
    expect(formFields({ blocks: 'none' })).toEqual([]);
    fc.assert(
      fc.property(fc.anything({ maxDepth: 5 }), (blocks) => {
        for (const f of formFields({ blocks })) {
          expect(typeof promptFor(f)).toBe('string');
          expect(parseAnswer(f, '1')).toHaveProperty('ok');
        }
      }),
    );
  });
});

describe('promptFor', () => {
  it('asks for a select: options numbered, the initial one marked, what Enter keeps', () => {
    expect(promptFor(field(apply, APPLY_IDS.instance))).toBe(
      lines(
        'Certificate instance',
        '  1) shop OV · DigiCert OV single domain standard · up to 1 domain(s)',
        '  2) api EV · DigiCert OV single domain standard · up to 3 domain(s) *',
        '  → a number (or the option itself); Enter keeps: api EV · DigiCert OV single domain standard · up to 3 domain(s)',
      ),
    );
  });

  it('asks for multi-line text with its hint, placeholder and length, and the end line', () => {
    expect(promptFor(field(apply, APPLY_IDS.domains), { multilineEnd: 'END' })).toBe(
      lines(
        'Domains to bind',
        '  One per line. Wildcards such as *.example.com are not allowed for this type.',
        '  <One per line, e.g. shop.example.com>',
        "  → several lines; end with a line holding only 'END'; at most 3000 characters",
      ),
    );
  });

  it('asks for optional fields with how to leave them empty', () => {
    expect(promptFor(field(apply, APPLY_IDS.contactName))).toBe(
      lines(
        'New contact: name (optional)',
        '  Only used when “New contact” is chosen above.',
        "  → one line; at most 64 characters; Enter leaves it empty; '-' for none",
      ),
    );
    expect(promptFor(field(upload, UPLOAD.validationType))).toBe(
      lines(
        'Validation type (optional)',
        '  Needed only when the certificate does not say (it carries no CA/Browser Forum policy).',
        '  1) DV',
        '  2) OV',
        '  3) EV',
        "  → a number (or the option itself); Enter leaves it empty; '-' for none",
      ),
    );
  });

  it('asks for several options, and for one checkbox as yes or no', () => {
    expect(promptFor(field(combine, withBlockId('c1')))).toBe(
      lines(
        'Instances to combine into it',
        '  Same brand and type (OV or EV), 1-year validity, pending application or validation failed.',
        '  1) api OV · quota 1 — c2',
        '  2) www OV · quota 3 — c3 *',
        '  → numbers separated by commas; Enter keeps: www OV · quota 3',
      ),
    );
    expect(promptFor(field(combine, COMBINE.confirm))).toBe(
      lines(
        'Refunds',
        '  1) I understand combined instances cannot be refunded',
        '  → y to tick, n to leave it unticked',
      ),
    );
  });

  it('asks for numbers, dates, people and channels', () => {
    const number = elementField(
      'n',
      { type: 'number_input', is_decimal_allowed: false, min_value: '1', max_value: '5' },
      'Years',
    );
    expect(promptFor(number)).toBe(lines('Years', '  → a whole number from 1 to 5'));
    expect(
      promptFor(elementField('d', { type: 'datepicker', initial_date: '2026-12-01' }, 'Due')),
    ).toBe(lines('Due', '  → a date as YYYY-MM-DD; Enter keeps: 2026-12-01'));
    expect(
      promptFor(elementField('u', { type: 'multi_users_select' }, 'Approvers', { optional: true })),
    ).toBe(
      lines(
        'Approvers (optional)',
        "  → user ids separated by commas; Enter leaves it empty; '-' for none",
      ),
    );
    expect(promptFor(elementField('c', { type: 'conversations_select' }, 'Where'))).toBe(
      lines('Where', '  → a channel id, e.g. C123'),
    );
  });
});

describe('parseAnswer', () => {
  const instance = field(apply, APPLY_IDS.instance);
  const contactField = field(apply, APPLY_IDS.contact);
  const withField = field(combine, withBlockId('c1'));
  const confirm = field(combine, COMBINE.confirm);
  const hosting = field(apply, APPLY_IDS.hosting);
  const name = field(apply, APPLY_IDS.contactName);
  const pem = field(upload, UPLOAD.pem[0]);
  const type = field(upload, UPLOAD.validationType);

  it.each<[string, FormField, string, InputValue]>([
    ['a select by number', instance, '1', 'c1'],
    ['a select by value', instance, 'c1', 'c1'],
    ['a select by text, any case', contactField, 'new contact (fill in below)', 'new'],
    ['a select by value, any case', type, 'ov', 'OV'],
    ['a select: Enter keeps the initial', instance, '   ', 'c2'],
    ['several by number, commas', withField, '1, 2', ['c2', 'c3']],
    ['several by number, spaces', withField, '2 1', ['c3', 'c2']],
    ['several, repeated once', withField, '1,1,c2', ['c2']],
    ['several by text with spaces', withField, 'api OV · quota 1', ['c2']],
    ['several: Enter keeps the initial', withField, '', ['c3']],
    ['one checkbox: y', confirm, 'y', ['no_refund']],
    ['one checkbox: YES', confirm, 'YES', ['no_refund']],
    ['one checkbox by number', confirm, '1', ['no_refund']],
    ['an optional checkbox: n', hosting, 'n', []],
    ['an optional checkbox: -', hosting, '-', undefined],
    ['an optional checkbox: Enter', hosting, '', undefined],
    ['text, trimmed', name, '  Li Lei  ', 'Li Lei'],
    ['optional text: - clears', name, '-', undefined],
    ['optional text: Enter leaves it empty', name, '', undefined],
    ['an optional select: -', type, '-', undefined],
  ])('%s', (_what, f, raw, value) => {
    expect(parseAnswer(f, raw)).toEqual({ ok: true, value });
  });

  it('keeps multi-line text as typed, line breaks included', () => {
    const text = '-----BEGIN CERTIFICATE-----\r\nMIIB\n-----END CERTIFICATE-----\n';
    expect(parseAnswer(pem, text)).toEqual({
      ok: true,
      value: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
  });

  it.each<[string, FormField, string, string]>([
    ['a required field left empty', pem, '', 'required'],
    ['a required field cleared', pem, '-', 'required'],
    ['a required multi-line field of blank lines', pem, '\n \n', 'required'],
    ['an unknown option', instance, '7', 'no option "7": answer with 1–2'],
    ['an unknown option among several', withField, '1, 9', 'no option "9": answer with 1–2'],
    ['a required checkbox unticked', confirm, 'n', 'required'],
    ['text over the length', name, 'x'.repeat(65), 'at most 64 characters (this is 65)'],
  ])('refuses %s', (_what, f, raw, error) => {
    expect(parseAnswer(f, raw)).toEqual({ ok: false, error });
  });

  it('checks numbers, dates, ids, lengths and counts as Slack does before sending', () => {
    const number = elementField('n', { type: 'number_input', min_value: '1', max_value: '5' }, 'N');
    expect(parseAnswer(number, '3')).toEqual({ ok: true, value: '3' });
    expect(parseAnswer(number, '3.5')).toEqual({ ok: false, error: 'a whole number, please' });
    expect(parseAnswer(number, '9')).toEqual({ ok: false, error: 'at most 5' });
    expect(parseAnswer(number, '0')).toEqual({ ok: false, error: 'at least 1' });
    expect(parseAnswer(number, 'three')).toEqual({ ok: false, error: 'not a number: three' });
    const decimal = elementField('n', { type: 'number_input', is_decimal_allowed: true }, 'N');
    expect(parseAnswer(decimal, '-2.5')).toEqual({ ok: true, value: '-2.5' });

    const date = elementField('d', { type: 'datepicker' }, 'D');
    expect(parseAnswer(date, '2028-02-29')).toEqual({ ok: true, value: '2028-02-29' });
    expect(parseAnswer(date, '2027-02-29')).toEqual({
      ok: false,
      error: 'a date as YYYY-MM-DD, please',
    });

    const user = elementField('u', { type: 'users_select' }, 'U');
    expect(parseAnswer(user, '<@U_APPROVER>')).toEqual({ ok: true, value: 'U_APPROVER' });
    expect(parseAnswer(user, '@U1')).toEqual({ ok: true, value: 'U1' });
    expect(parseAnswer(user, 'two words')).toEqual({ ok: false, error: 'not an id: two words' });
    const users = elementField('u', { type: 'multi_users_select' }, 'U');
    expect(parseAnswer(users, '@U1, U2 U1')).toEqual({ ok: true, value: ['U1', 'U2'] });
    const channel = elementField('c', { type: 'channels_select' }, 'C');
    expect(parseAnswer(channel, '<#C1|ops>')).toEqual({ ok: true, value: 'C1' });

    const short = elementField('s', { type: 'plain_text_input', min_length: 3 }, 'S');
    expect(parseAnswer(short, 'ab')).toEqual({
      ok: false,
      error: 'at least 3 characters (this is 2)',
    });
    const few = elementField(
      'm',
      {
        type: 'multi_static_select',
        max_selected_items: 1,
        options: [
          { text: { type: 'plain_text', text: 'a' }, value: 'a' },
          { text: { type: 'plain_text', text: 'b' }, value: 'b' },
        ],
      },
      'M',
    );
    expect(parseAnswer(few, '1,2')).toEqual({ ok: false, error: 'at most 1' });
  });

  it('gives only values the field offers, for any answer', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        for (const f of [instance, withField, confirm, type]) {
          const parsed = parseAnswer(f, raw);
          if (!parsed.ok || parsed.value === undefined) continue;
          const offered = new Set(f.options?.map((o) => o.value));
          const values = typeof parsed.value === 'string' ? [parsed.value] : parsed.value;
          for (const v of values) expect(offered.has(v)).toBe(true);
        }
      }),
    );
  });
});

/** Answers as the shell gathers them: each raw answer parsed for its field, by block id. */
function answer(view: Json, raw: Record<string, string>): Record<string, InputValue> {
  const answers: Record<string, InputValue> = {};
  for (const f of formFields(view)) {
    const parsed = parseAnswer(f, raw[f.blockId] ?? '');
    if (!parsed.ok) throw new Error(`${f.blockId}: ${parsed.error}`);
    answers[f.blockId] = parsed.value;
  }
  return answers;
}

describe('viewState and submissionPayload: what the bot reads back', () => {
  it('fills in the apply modal so that the bot reads what was answered', () => {
    const answers = answer(apply, {
      [APPLY_IDS.domains]: 'shop.example.com\nwww.example.com',
      [APPLY_IDS.contact]: '2',
      [APPLY_IDS.contactName]: 'Han Meimei',
      [APPLY_IDS.contactEmail]: 'han@example.com',
      [APPLY_IDS.contactPhone]: '+8613900000000',
      [APPLY_IDS.hosting]: 'y',
    });
    expect(readForm({ state: viewState(apply, answers) })).toEqual({
      instanceId: 'c2',
      domainsText: 'shop.example.com\nwww.example.com',
      methodBlockId: 'apply.method.dns-file-email',
      method: 'dns',
      contact: 'new',
      name: 'Han Meimei',
      email: 'han@example.com',
      phone: '+8613900000000',
      hosting: true,
    });
  });

  it('encodes each element type as Slack does', () => {
    const { values } = viewState(
      upload,
      answer(upload, { [UPLOAD.pem[0]]: 'PEM', [UPLOAD.validationType]: 'EV' }),
    );
    expect(values[UPLOAD.pem[0]]).toEqual({
      [UPLOAD.pem[0]]: { type: 'plain_text_input', value: 'PEM' },
    });
    expect(values[UPLOAD.pem[1]]).toEqual({
      [UPLOAD.pem[1]]: { type: 'plain_text_input', value: null },
    });
    expect(values[UPLOAD.validationType]).toEqual({
      [UPLOAD.validationType]: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'EV', emoji: true }, value: 'EV' },
      },
    });
    expect(readUploadForm({ state: viewState(upload, {}) })).toEqual({
      pem: '',
      validationType: undefined,
      grade: '',
      name: '',
    });
    const element = (type: string) => ({ type, action_id: 'a' });
    expect(stateOf(element('users_select'), 'U1')).toEqual({
      type: 'users_select',
      selected_user: 'U1',
    });
    expect(stateOf(element('multi_users_select'), ['U1'])).toEqual({
      type: 'multi_users_select',
      selected_users: ['U1'],
    });
    expect(stateOf(element('conversations_select'), undefined)).toEqual({
      type: 'conversations_select',
      selected_conversation: null,
    });
    expect(stateOf(element('datepicker'), '2026-12-01')).toEqual({
      type: 'datepicker',
      selected_date: '2026-12-01',
    });
    expect(() => stateOf({ type: 'static_select', action_id: 's', options: [] }, 'x')).toThrow(
      'option x is not offered by s',
    );
  });

  it('submits the combine modal as a view_submission the bot reads', () => {
    const opened = { id: 'V1', hash: 'h1', view: combine };
    const payload = submissionPayload(
      opened,
      'U_REQ',
      answer(combine, { [withBlockId('c1')]: '1 2', [COMBINE.confirm]: 'y' }),
      'trigger-1',
    );
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: 'U_REQ', team_id: 'T_TEST' },
      trigger_id: 'trigger-1',
      view: {
        id: 'V1',
        hash: 'h1',
        type: 'modal',
        callback_id: COMBINE.callback,
        private_metadata: '{"c":"c1","ch":"C1"}',
      },
    });
    expect(readCombineForm(payload.view as Json as never, 'c1')).toEqual({
      pickedId: 'c1',
      selected: ['c2', 'c3'],
      confirmed: true,
    });
  });

  it('sends a change to a dispatching input with the changed state in actions[0]', () => {
    const opened = { id: 'V1', hash: 'h1', view: apply };
    const payload = viewChange(
      opened,
      'U_REQ',
      APPLY_IDS.instance,
      { [APPLY_IDS.instance]: 'c1' },
      {
        triggerId: 't',
        actionTs: '1.5',
      },
    );
    expect(payload.actions).toEqual([
      {
        type: 'static_select',
        selected_option: (apply.blocks as Json[])
          .flatMap((b) => ((b.element as Json)?.options as Json[]) ?? [])
          .find((o) => o.value === 'c1'),
        action_id: APPLY_IDS.instance,
        block_id: APPLY_IDS.instance,
        action_ts: '1.5',
      },
    ]);
    expect(readViewState(payload.view).selected(APPLY_IDS.instance)).toBe('c1');
    expect(() =>
      viewChange(opened, 'U', 'apply.intro', {}, { triggerId: 't', actionTs: '1' }),
    ).toThrow('no input or select in block apply.intro');
  });

  it('reads what an element holds before anyone touches it', () => {
    const reason = formFields(
      rejectModal(
        t,
        { application: application(), certificate: certificate() },
        {
          a: 'a1',
          c: 'CAPPROVALS',
          ts: '1.2',
        },
      ),
    );
    expect(reason.map((f) => [f.kind, f.optional, f.initial])).toEqual([
      ['multiline', false, undefined],
    ]);
    expect(initialValue({ initial_value: 'x' })).toBe('x');
    expect(initialValue({ initial_option: { value: 'o' } })).toBe('o');
    expect(initialValue({ initial_options: [{ value: 'a' }, { value: 1 }] })).toEqual(['a']);
    expect(initialValue({ initial_user: 'U1' })).toBe('U1');
    expect(initialValue({ initial_users: ['U1', 2] })).toEqual(['U1']);
    expect(initialValue({ initial_date: '2026-01-02' })).toBe('2026-01-02');
    expect(initialValue({ initial_option: 'nope' })).toBeUndefined();
  });

  it('presses a button in a message as block_actions with its value and the message', () => {
    const blocks = [
      {
        type: 'actions',
        block_id: 'acts',
        elements: [
          { type: 'button', action_id: 'go', value: 'v', text: { type: 'plain_text', text: 'Go' } },
        ],
      },
    ];
    const found = findElement(blocks, 'go');
    if (!found) throw new Error('no button');
    const payload = pressPayload(
      'U1',
      found,
      {
        in: 'message',
        channelId: 'C1',
        ts: '9.9',
        text: 'hi',
        blocks,
        responseUrl: 'http://r',
        isEphemeral: true,
      },
      { triggerId: 't', actionTs: '2.5' },
    );
    expect(payload).toMatchObject({
      type: 'block_actions',
      actions: [
        {
          type: 'button',
          action_id: 'go',
          block_id: 'acts',
          value: 'v',
          text: { text: 'Go' },
          action_ts: '2.5',
        },
      ],
      container: { type: 'message', message_ts: '9.9', channel_id: 'C1', is_ephemeral: true },
      channel: { id: 'C1' },
      message: { ts: '9.9', text: 'hi', blocks },
      response_url: 'http://r',
    });
  });
});
