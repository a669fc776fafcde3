import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  issuedModal,
  type RequestDetails,
  rejectModal,
  requestMessage,
} from '../../src/slack/features/approvals/views.js';
import { combineModal } from '../../src/slack/features/combine/views.js';
import { buildHomeView } from '../../src/slack/features/home/views.js';
import { uploadModal } from '../../src/slack/features/upload/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import {
  displayWidth,
  mrkdwnToText,
  type Pressable,
  renderBlocks,
  renderMessage,
  renderView,
} from '../../tools/try/render-blocks.js';
import { application, certificate, contact } from '../support/fixtures.js';

const t = translator('en');
const lines = (...text: string[]) => text.join('\n');

/** A numbering that records what was numbered, from `first` on. */
function numbering(first = 1) {
  const pressed: Pressable[] = [];
  return {
    pressed,
    number: (p: Pressable) => {
      pressed.push(p);
      return first + pressed.length - 1;
    },
  };
}

const request: RequestDetails = {
  application: application(),
  certificate: certificate(),
  contact: contact(),
  sources: [],
};
const modalMeta = { a: 'a1', c: 'CAPPROVALS', ts: '1700000000.000100' };

describe('mrkdwnToText', () => {
  it.each([
    ['<@U123> asked', '@U123 asked'],
    ['<@U123|alice> asked', '@alice asked'],
    ['see <#C1|ops> and <#C2>', 'see #ops and #C2'],
    ['<!here> <!channel> <!everyone>', '@here @channel @everyone'],
    ['<!subteam^S1|@sec> and <!subteam^S2>', '@sec and @S2'],
    ['<!date^1700000000^{date}|Nov 14>', 'Nov 14'],
    [
      'read <https://example.com/a?b=1&amp;c=2|the docs>',
      'read the docs (https://example.com/a?b=1&c=2)',
    ],
    ['<https://example.com>', 'https://example.com'],
    ['<https://example.com|https://example.com>', 'https://example.com'],
    ['<mailto:li@example.com|li@example.com>', 'li@example.com'],
    ['a &lt;b&gt; &amp; c', 'a <b> & c'],
    ['typed &lt;!channel&gt; literally', 'typed <!channel> literally'],
    ['&amp;lt; stays one level', '&lt; stays one level'],
    ['*bold* _italic_ ~strike~ `code`', '*bold* _italic_ ~strike~ `code`'],
    ['```\n-----BEGIN CERTIFICATE-----\n```', '```\n-----BEGIN CERTIFICATE-----\n```'],
    ['bell\u0007 escape\u001b[31m red\u202e', 'bell escape[31m red'],
    ['<>', '<>'],
    [
      ':white_check_mark: done :x: :unknown_code: at 10:00:00',
      '✅ done ❌ :unknown_code: at 10:00:00',
    ],
  ])('%j reads %j', (mrkdwn, text) => {
    expect(mrkdwnToText(mrkdwn)).toBe(text);
  });

  it('is empty for something that is not a string', () => {
    expect(mrkdwnToText(42 as unknown as string)).toBe('');
  });
});

describe('renderMessage: messages the bot sends', () => {
  it('shows an approval request with its fields, context and numbered buttons', () => {
    const { pressed, number } = numbering(3);
    const message = requestMessage(t, request, { timeZone: 'Asia/Shanghai' });
    expect(renderMessage(message, { number })).toBe(
      lines(
        '== Approval needed: certificate application ==',
        'U_REQ asks to apply for a certificate on *shop OV* (`c1`).',
        '  Spec: DigiCert OV · Single domain · standard',
        '  Domains (1): shop.example.com',
        '  Validation: DNS record',
        '  Managed renewal: No',
        '  Contact: Li Lei · li.lei@example.com · +8613800000000',
        '  Team: web',
        '  · Request `a1` · asked 2026-11-23 09:00 (Asia/Shanghai)',
        '[3] Approve (primary)  [4] Reject (danger)',
      ),
    );
    expect(pressed.map(({ element: _, ...p }) => p)).toEqual([
      {
        blockId: 'approvals.request.actions',
        actionId: 'approvals.approve',
        type: 'button',
        value: '{"a":"a1"}',
        text: 'Approve',
      },
      {
        blockId: 'approvals.request.actions',
        actionId: 'approvals.reject',
        type: 'button',
        value: '{"a":"a1"}',
        text: 'Reject',
      },
    ]);
    // The element itself, so the shell can press it without looking it up again.
    const actionsBlock = message.blocks.at(-1) as { elements: unknown[] };
    expect(pressed[1]?.element).toBe(actionsBlock.elements[1]);
  });

  it('shows a decided request without buttons, and numbers nothing', () => {
    const { pressed, number } = numbering();
    const decided = requestMessage(
      t,
      {
        ...request,
        application: application({
          status: 'rejected',
          decidedBy: 'UAPPROVER',
          decidedAt: Date.UTC(2026, 10, 23, 2),
          decisionReason: 'Use <!channel> & the EV instance',
        }),
      },
      { timeZone: 'Asia/Shanghai' },
    );
    const text = renderMessage(decided, { number });
    expect(pressed).toEqual([]);
    // The reason was typed by a person: escaped by the bot, it reads as typed and pings no one.
    expect(text.split('\n').slice(-2)).toEqual([
      '  · Request `a1` · asked 2026-11-23 09:00 (Asia/Shanghai)',
      '❌ *Rejected* by @UAPPROVER on 2026-11-23 10:00 (Asia/Shanghai): Use <!channel> & the EV instance',
    ]);
  });

  it('shows a message without blocks as its text', () => {
    expect(
      renderMessage({ text: 'Sent for approval as `a1`: <@U1> decides.\n• shop.example.com' }),
    ).toBe(lines('Sent for approval as `a1`: @U1 decides.', '• shop.example.com'));
    expect(renderMessage({ text: 'only text', blocks: [] })).toBe('only text');
  });

  it('shows elements without a numbering as bracketed faces', () => {
    const message = requestMessage(t, request, { timeZone: 'UTC' });
    expect(renderMessage(message).split('\n').at(-1)).toBe(
      '[Approve (primary)]  [Reject (danger)]',
    );
  });
});

describe('renderBlocks: every block type', () => {
  it('renders the layout blocks', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Expiring soon' } },
      { type: 'divider' },
      { type: 'image', image_url: 'https://x/y.png', alt_text: 'chart' },
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://x/i.png', alt_text: 'icon' },
          { type: 'mrkdwn', text: 'by <@U1>' },
          { type: 'plain_text', text: '<@U1> stays plain' },
        ],
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'with a picture' },
        accessory: { type: 'image', image_url: 'https://x/a.png', alt_text: 'logo' },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Domains (2)*\na.example.com\nb.example.com' },
          { type: 'mrkdwn', text: 'no label here' },
          { type: 'mrkdwn', text: '*Label only*' },
          { type: 'plain_text', text: '*Team:*\nweb' },
        ],
      },
    ];
    expect(renderBlocks(blocks, { width: 60 })).toBe(
      lines(
        '== Expiring soon ==',
        '─'.repeat(40),
        '[image: chart]',
        '  · [image: icon]',
        '  · by @U1',
        '  · <@U1> stays plain',
        'with a picture',
        '  [image: logo]',
        '  Domains (2):',
        '    a.example.com',
        '    b.example.com',
        '  no label here',
        '  Label only',
        '  Team: web',
      ),
    );
  });

  it('numbers buttons, selects and overflows in actions and accessories, in order', () => {
    const { pressed, number } = numbering(5);
    const option = (text: string, value: string) => ({
      text: { type: 'plain_text', text },
      value,
    });
    const blocks = [
      {
        type: 'section',
        block_id: 'row',
        text: { type: 'mrkdwn', text: '*shop OV*' },
        accessory: {
          type: 'button',
          action_id: 'open',
          text: { type: 'plain_text', text: 'Open' },
          value: 'c1',
        },
      },
      {
        type: 'actions',
        block_id: 'acts',
        elements: [
          {
            type: 'static_select',
            action_id: 'pick',
            placeholder: { type: 'plain_text', text: 'Choose' },
            options: [option('a', '1'), option('b', '2')],
          },
          {
            type: 'static_select',
            action_id: 'grouped',
            option_groups: [
              { label: { type: 'plain_text', text: 'G' }, options: [option('x', 'x')] },
            ],
            initial_option: option('x', 'x'),
          },
          {
            type: 'overflow',
            action_id: 'more',
            options: [option('Renew', 'r'), option('Revoke', 'v')],
          },
          {
            type: 'button',
            action_id: 'docs',
            text: { type: 'plain_text', text: 'Docs' },
            url: 'https://example.com/docs',
          },
          {
            type: 'users_select',
            action_id: 'who',
            placeholder: { type: 'plain_text', text: 'Someone' },
          },
          { type: 'datepicker', action_id: 'when', initial_date: '2026-12-01' },
          { type: 'workflow_button', action_id: 'wf', text: { type: 'plain_text', text: 'Run' } },
        ],
      },
    ];
    expect(renderBlocks(blocks, { number, width: 60 })).toBe(
      lines(
        '*shop OV*',
        '  [5] Open',
        '[6] <Choose> ▾ (options: a, b)  [7] x ▾ (options: x)',
        '[8] ⋯ (options: Renew, Revoke)',
        '[9] Docs → https://example.com/docs  [10] <Someone> ▾ (user)',
        '[11] 2026-12-01 ▾ (date)  [12] <workflow_button>',
      ),
    );
    expect(
      pressed.map((p) => [p.blockId, p.actionId, p.type, p.text ?? null, p.value ?? null]),
    ).toEqual([
      ['row', 'open', 'button', 'Open', 'c1'],
      ['acts', 'pick', 'static_select', 'Choose', null],
      ['acts', 'grouped', 'static_select', null, null],
      ['acts', 'more', 'overflow', null, null],
      ['acts', 'docs', 'button', 'Docs', null],
      ['acts', 'who', 'users_select', 'Someone', null],
      ['acts', 'when', 'datepicker', null, null],
      ['acts', 'wf', 'workflow_button', 'Run', null],
    ]);
  });

  it('lists at most eight options of a select', () => {
    const options = Array.from({ length: 12 }, (_, i) => ({
      text: { type: 'plain_text', text: `o${i + 1}` },
      value: `${i + 1}`,
    }));
    const blocks = [
      { type: 'actions', elements: [{ type: 'static_select', action_id: 's', options }] },
    ];
    expect(renderBlocks(blocks, { number: () => 1 })).toBe(
      '[1] <choose> ▾ (options: o1, o2, o3, o4, o5, o6, o7, o8, …+4 more)',
    );
  });

  it('flattens rich text: sections, lists, quotes, code and inline elements', () => {
    const blocks = [
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'text', text: 'Hi ' },
              { type: 'user', user_id: 'U1' },
              { type: 'text', text: ', see ' },
              { type: 'link', url: 'https://x.example', text: 'this' },
              { type: 'text', text: ' in ' },
              { type: 'channel', channel_id: 'C9' },
              { type: 'emoji', name: 'tada', unicode: '1f389' },
              { type: 'emoji', name: 'custom' },
            ],
          },
          {
            type: 'rich_text_list',
            style: 'ordered',
            elements: [
              { type: 'rich_text_section', elements: [{ type: 'text', text: 'first' }] },
              { type: 'rich_text_section', elements: [{ type: 'text', text: 'second' }] },
            ],
          },
          {
            type: 'rich_text_list',
            style: 'bullet',
            indent: 1,
            elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'nested' }] }],
          },
          { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'a\nb' }] },
        ],
      },
    ];
    expect(renderBlocks(blocks)).toBe(
      lines(
        'Hi @U1, see this (https://x.example) in #C9🎉:custom:',
        '1. first',
        '2. second',
        '  • nested',
        '> quoted',
        '```',
        'a',
        'b',
        '```',
      ),
    );
  });

  it('marks unknown and malformed blocks instead of failing', () => {
    const blocks = [
      { type: 'call', call_id: 'R1' },
      null,
      'section',
      { type: 7 },
      { type: 'section', text: 'not an object', fields: 'nor a list', accessory: [] },
      { type: 'section', text: { type: 'mrkdwn', text: 12 }, fields: [null, 3, { text: 'ok' }] },
      { type: 'actions', elements: [null, { type: 'button' }] },
      { type: 'context', elements: { type: 'mrkdwn', text: 'x' } },
      { type: 'header' },
      { type: 'input', element: 'oops', label: null },
      { type: 'rich_text', elements: [{ type: 'rich_text_list', elements: 'x', indent: {} }] },
    ];
    expect(renderBlocks(blocks, { number: () => 1 })).toBe(
      lines(
        '[unsupported block: call]',
        '[unsupported block: ?]',
        '[unsupported block: ?]',
        '[unsupported block: ?]',
        'not an object',
        '  ok',
        '[1] (button)',
        '==  ==',
        'input: <?>',
      ),
    );
    expect(renderBlocks({ not: 'a list' })).toBe('');
    expect(renderBlocks(undefined)).toBe('');
    expect(renderMessage(null)).toBe('');
    expect(renderView('modal')).toBe('');
  });
});

describe('wrapping', () => {
  it('wraps long lines at the width and hangs continuations under bullets and fields', () => {
    const blocks = [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: 'one two three four five six seven eight nine ten' },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'alpha beta gamma delta epsilon zeta eta' }],
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Domains*\nshop.example.com, www.example.com, api.example.com' },
        ],
      },
    ];
    expect(renderBlocks(blocks, { width: 24 })).toBe(
      lines(
        'one two three four five',
        '  six seven eight nine',
        '  ten',
        '  · alpha beta gamma',
        '    delta epsilon zeta',
        '    eta',
        '  Domains:',
        '    shop.example.com,',
        '    www.example.com,',
        '    api.example.com',
      ),
    );
  });

  it('cuts a word longer than a line (on a line of its own), and breaks Chinese text between characters', () => {
    const url = `https://example.com/${'x'.repeat(30)}`;
    const out = renderBlocks(
      [
        { type: 'section', text: { type: 'mrkdwn', text: `see ${url}` } },
        {
          type: 'section',
          text: { type: 'plain_text', text: '证书将在二十天后到期请尽快续期谢谢' },
        },
      ],
      { width: 20 },
    );
    expect(out).toBe(
      lines(
        'see',
        '  https://example.co',
        `  m/${'x'.repeat(16)}`,
        `  ${'x'.repeat(14)}`,
        '证书将在二十天后到期',
        '  请尽快续期谢谢',
      ),
    );
  });

  it('keeps code blocks as written, however long their lines', () => {
    const pem = `MII${'A'.repeat(61)}`;
    const text = `Paste:\n\`\`\`\n${pem}\n\`\`\`\nthen press the button below to go on`;
    expect(renderBlocks([{ type: 'section', text: { type: 'mrkdwn', text } }], { width: 20 })).toBe(
      lines('Paste:', '```', pem, '```', 'then press the', '  button below to go', '  on'),
    );
  });

  it('keeps every line within the width for arbitrary text (wide characters count 2)', () => {
    const word = fc.string({
      unit: fc.constantFrom('a', 'b', '证', '😀', '-', '.', '`', '*'),
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 30 }),
        fc.integer({ min: 20, max: 80 }),
        (words, width) => {
          const text = words.join(' ').replace(/```/g, '``');
          const out = renderMessage({ text }, { width });
          for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
          // Nothing is lost but spaces.
          expect(out.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        },
      ),
    );
  });
});

describe('renderView: modals and App Home', () => {
  it('shows a modal with its inputs, hints, errors, and submit and close labels', () => {
    const view = uploadModal(t, 'C1');
    expect(
      renderView(view, { width: 100 }, { 'upload.pem': 'This is not a certificate in PEM form.' }),
    ).toBe(
      lines(
        '[modal] Upload a certificate',
        'Paste the certificate in PEM form (`-----BEGIN CERTIFICATE-----`) followed by its chain. *Never',
        "  paste a private key.* Only the certificate's public facts are kept.",
        'Certificate (PEM) and chain: (empty)',
        '  ↳ One box holds 3000 characters: continue a longer chain in the boxes below.',
        '  ! This is not a certificate in PEM form.',
        'Chain, continued (optional): (empty)',
        'Chain, continued further (optional): (empty)',
        'Validation type (optional): <DV, OV or EV> ▾',
        '  ↳ Needed only when the certificate does not say (it carries no CA/Browser Forum policy).',
        'Grade (optional): (empty)',
        '  ↳ As sold, e.g. standard or pro; "standard" when left empty.',
        'Name (optional): (empty)',
        "  ↳ Defaults to the certificate's common name.",
        'Submit: Upload  ·  Close: Cancel',
      ),
    );
  });

  it('shows current answers: text, multi-line text cut to three lines, chosen options', () => {
    const view = uploadModal(t, 'C1');
    const pem = [
      '-----BEGIN CERTIFICATE-----',
      'MIIB',
      'MIIC',
      'MIID',
      '-----END CERTIFICATE-----',
    ];
    const out = renderView(view, {
      values: {
        'upload.pem': pem.join('\n'),
        'upload.validation_type': 'OV',
        'upload.name': 'shop',
      },
      errors: { 'upload.name': 'Taken' },
    });
    expect(out).toContain(
      lines(
        'Certificate (PEM) and chain:',
        '    -----BEGIN CERTIFICATE-----',
        '    MIIB',
        '    MIIC',
        '    …+2 more lines',
      ),
    );
    expect(out).toContain('Validation type (optional): OV ▾');
    expect(out).toContain(
      lines('Name (optional): shop', "  ↳ Defaults to the certificate's common name.", '  ! Taken'),
    );
  });

  it('shows the combine modal: a numbered select in a section, a multi-select, checkboxes', () => {
    const { pressed, number } = numbering();
    const current = certificate({ id: 'c1', name: 'shop OV', domainQuota: 2 });
    const view = combineModal(t, {
      current,
      eligible: [
        certificate({ id: 'c2', name: 'api OV' }),
        certificate({ id: 'c3', name: 'www OV', domainQuota: 3 }),
      ],
      ineligible: [
        { certificate: certificate({ id: 'c4', name: 'old EV' }), reasons: [{ code: 'x' }] },
      ],
      unlisted: 0,
      choices: [current],
      selected: ['c3'],
      channelId: 'C1',
      why: () => 'EV cannot join OV.',
    });
    expect(renderView(view, { number })).toBe(
      lines(
        '[modal] Combine instances',
        '*Combine into:*',
        '  [1] shop OV ▾ (options: shop OV)',
        '*shop OV* (`c1`)',
        'DigiCert · OV · Single domain · 1 year(s) · domain quota 2',
        'Instances to combine into it: www OV · quota 3 ▾',
        '  ↳ Same brand and type (OV or EV), 1-year validity, pending application or validation failed.',
        '*Domain quota after combining: 5* (2 of this instance + 3 from 1 selected)',
        '─'.repeat(40),
        '  · *Cannot be combined:*',
        '  · *old EV* (`c4`): EV cannot join OV.',
        'Refunds: [ ] I understand combined instances cannot be refunded',
        '  · After approval the result is named `cas-merge-…`; apply for it like any instance (domains up to',
        '    its quota). OV/EV review takes 3-7 business days.',
        'Submit: Request combination  ·  Close: Cancel',
      ),
    );
    expect(pressed.map((p) => [p.blockId, p.actionId, p.type])).toEqual([
      ['combine.pick', 'combine.current', 'static_select'],
    ]);
    // A ticked box and a chosen radio button show as marked.
    expect(renderView(view, { values: { 'combine.confirm': ['no_refund'] } })).toContain(
      'Refunds: [x] I understand',
    );
  });

  it('shows a modal with PEM boxes and a context at a narrow width', () => {
    const view = issuedModal(
      t,
      { application: application(), certificate: certificate() },
      modalMeta,
    );
    expect(renderView(view, { width: 60 })).toBe(
      lines(
        '[modal] Certificate issued',
        'Paste the certificate the CA issued for *shop OV* (`c1`),',
        '  covering shop.example.com.',
        '  · Slack takes at most 3000 characters per field, so a',
        '    chain goes into up to three fields (leaf, intermediate,',
        '    more); they are joined in that order.',
        '  · ⚠️ Never paste a private key here: only certificates',
        '    (`-----BEGIN CERTIFICATE-----`).',
        'Certificate (leaf): (empty)',
        '  ↳ PEM text, at most 3000 characters in this field.',
        'Intermediate certificate (optional): (empty)',
        '  ↳ PEM text, at most 3000 characters in this field.',
        'More of the chain (optional): (empty)',
        '  ↳ PEM text, at most 3000 characters in this field.',
        'Submit: Record  ·  Close: Cancel',
      ),
    );
  });

  it('shows the default close label, and a radio choice', () => {
    const view = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Pick' },
      blocks: [
        {
          type: 'input',
          block_id: 'm',
          label: { type: 'plain_text', text: 'Method' },
          element: {
            type: 'radio_buttons',
            action_id: 'm',
            options: [
              { text: { type: 'plain_text', text: 'DNS' }, value: 'dns' },
              { text: { type: 'mrkdwn', text: '*File*' }, value: 'file' },
            ],
            initial_option: { text: { type: 'plain_text', text: 'DNS' }, value: 'dns' },
          },
        },
      ],
    };
    expect(renderView(view)).toBe(
      lines('[modal] Pick', 'Method: (•) DNS  ( ) *File*', 'Close: Cancel'),
    );
    expect(renderView(view, { values: { m: 'file' } })).toContain('Method: ( ) DNS  (•) *File*');
  });

  it('shows a reject modal as the approver sees it', () => {
    const view = rejectModal(
      t,
      { application: application(), certificate: certificate() },
      modalMeta,
    );
    expect(renderView(view)).toBe(
      lines(
        '[modal] Reject request',
        'Rejecting the certificate application `a1` for *shop OV*, asked by U_REQ. They get your reason.',
        'Reason: (empty)',
        '  ↳ Up to 500 characters. Say what to change so the request can be made again.',
        'Submit: Reject  ·  Close: Cancel',
      ),
    );
  });

  it('shows the App Home tab without modal title and buttons', () => {
    const view = buildHomeView(t, {
      userId: 'U1',
      team: 'web',
      rows: [],
      credits: { team: 'web', purchased: 3, held: 1, spent: 0 },
      approvalChannel: 'CAPPROVALS',
      now: new Date(Date.UTC(2026, 10, 23)),
      timeZone: 'Asia/Shanghai',
    });
    const out = renderView(view);
    expect(out.split('\n').slice(0, 4)).toEqual([
      '[App Home]',
      '== Certificates: web ==',
      '  · What needs attention among the certificates you own or requested and those of team web. Updated',
      '    2026-11-23 08:00 (Asia/Shanghai).',
    ]);
    expect(out).not.toContain('Close:');
  });
});

describe('untrusted payloads', () => {
  const anyPayload = fc.anything({
    withNullPrototype: true,
    withObjectString: true,
    withBoxedValues: true,
    maxDepth: 5,
  });
  const blockLike = fc.record(
    {
      type: fc.constantFrom(
        'header',
        'section',
        'context',
        'divider',
        'image',
        'actions',
        'input',
        'rich_text',
        'video',
        'file',
        'nope',
      ),
      block_id: fc.oneof(fc.string(), fc.jsonValue()),
      text: fc.oneof(
        fc.record({ type: fc.constantFrom('mrkdwn', 'plain_text'), text: fc.string() }),
        fc.jsonValue(),
      ),
      fields: fc.oneof(
        fc.array(fc.record({ type: fc.constant('mrkdwn'), text: fc.string() })),
        fc.jsonValue(),
      ),
      elements: fc.oneof(fc.array(anyPayload), fc.jsonValue()),
      element: anyPayload,
      accessory: anyPayload,
      label: anyPayload,
      hint: anyPayload,
    },
    { requiredKeys: ['type'] },
  );

  it('never throws on arbitrary JSON, and prints no control characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.array(blockLike), fc.array(anyPayload)),
        fc.integer({ min: -5, max: 200 }),
        (blocks, width) => {
          const outs = [
            renderBlocks(blocks, { width, number: () => 1 }),
            renderMessage({ text: 'x', blocks }, { width }),
            renderView({ type: 'modal', title: blocks, blocks }, { width, errors: { x: 'y' } }),
          ];
          for (const out of outs) {
            expect(typeof out).toBe('string');
            // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
            expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary values anywhere', () => {
    fc.assert(
      fc.property(anyPayload, anyPayload, (a, b) => {
        expect(typeof renderBlocks(a)).toBe('string');
        expect(typeof renderMessage(a)).toBe('string');
        expect(typeof renderView(a, {}, b as Record<string, string>)).toBe('string');
        expect(typeof renderBlocks([{ type: 'actions', elements: [a] }], { number: () => 1 })).toBe(
          'string',
        );
        expect(typeof renderBlocks([{ type: 'input', block_id: 'x', element: a, label: b }])).toBe(
          'string',
        );
      }),
      { numRuns: 500 },
    );
  });
});
