import type { webApi } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actions,
  blocksSize,
  button,
  checkboxes,
  context,
  divider,
  ELLIPSIS,
  escapeMrkdwn,
  fallbackText,
  fieldsSection,
  fitMessage,
  header,
  homeView,
  input,
  type KnownBlock,
  messageFits,
  modal,
  multiStaticSelect,
  option,
  paginate,
  plainText,
  plainTextInput,
  radioButtons,
  section,
  staticSelect,
  truncate,
} from '../../src/slack/blocks.js';
import { LIMITS } from '../../src/slack/limits.js';

const at = (n: number) => 'x'.repeat(n);
const over = (n: number) => 'y'.repeat(n + 1);
// A lone high or low surrogate: what a cut through the middle of a pair leaves behind.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const more = (n: number) => `…and ${n} more`;
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`Option ${i}`, `v${i}`));

function expectCutTo(text: string, max: number): void {
  expect(text.length).toBe(max);
  expect(text.endsWith(ELLIPSIS)).toBe(true);
}

describe('LIMITS', () => {
  it('holds only positive integers', () => {
    for (const [name, value] of Object.entries(LIMITS)) {
      expect(Number.isInteger(value) && value > 0, name).toBe(true);
    }
  });
});

describe('truncate', () => {
  it('keeps text at the limit and cuts one over to exactly the limit', () => {
    expect(truncate(at(24), 24)).toBe(at(24));
    expectCutTo(truncate(over(24), 24), 24);
    expect(truncate(over(24), 24)).toBe(`${'y'.repeat(23)}…`);
  });

  it('never splits a surrogate pair, a ZWJ emoji or a flag', () => {
    // 22 + 2 + 2 = 26 code units: the first emoji straddles the 23-unit budget.
    expect(truncate(`${'a'.repeat(22)}😀😀`, 24)).toBe(`${'a'.repeat(22)}…`);
    expect(truncate(`${'a'.repeat(21)}😀😀`, 24)).toBe(`${'a'.repeat(21)}😀…`);
    const family = '👨‍👩‍👧‍👦'; // 11 code units, one grapheme
    expect(truncate(`ab${family}${family}`, 12)).toBe('ab…');
    expect(truncate('🇨🇳🇺🇸🇬🇧', 9)).toBe('🇨🇳🇺🇸…');
  });

  it('keeps whole graphemes, ends in an ellipsis and fits, for any input', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.integer({ min: 1, max: 60 }),
        (s, max) => {
          const cut = truncate(s, max);
          expect(cut.length).toBeLessThanOrEqual(max);
          expect(LONE_SURROGATE.test(cut)).toBe(false);
          if (s.length <= max) expect(cut).toBe(s);
          else expect(s.startsWith(cut.slice(0, -1).trimEnd())).toBe(true);
        },
      ),
    );
  });

  it('drops trailing spaces before the ellipsis', () => {
    expect(truncate('renew      now please', 10)).toBe('renew…');
  });

  it('counts CJK characters one each (zh-CN titles get the full 24)', () => {
    const title = '证书续期申请'.repeat(4); // 24 characters
    expect(truncate(title, 24)).toBe(title);
    expectCutTo(truncate(`${title}了`, 24), 24);
  });
});

describe('text objects and blocks', () => {
  it('plainText defaults to the 3000 text-object limit', () => {
    expect(plainText(at(3000)).text).toBe(at(3000));
    expectCutTo(plainText(over(3000)).text, 3000);
    expectCutTo(plainText(over(10), 10).text, 10);
  });

  it('header: 150', () => {
    expect(header(at(150)).text.text).toBe(at(150));
    expectCutTo(header(over(150)).text.text, 150);
  });

  it('section: text 3000, fields 10 × 2000, empty text left out', () => {
    expect(section(at(3000)).text?.text).toBe(at(3000));
    expectCutTo(section(over(3000)).text?.text ?? '', 3000);
    const block = section('', { fields: [at(2000), over(2000), ...Array(8).fill('f')] });
    expect(block.text).toBeUndefined();
    expect(block.fields).toHaveLength(10);
    expect(block.fields?.[0]?.text).toBe(at(2000));
    expectCutTo(block.fields?.[1]?.text ?? '', 2000);
    expect(() => section('t', { fields: Array(11).fill('f') })).toThrow(RangeError);
  });

  it('section: block_id 255, and a longer one throws rather than being cut', () => {
    expect(section('t', { blockId: at(255) }).block_id).toBe(at(255));
    expect(() => section('t', { blockId: over(255) })).toThrow(RangeError);
  });

  it('fieldsSection splits into sections of at most 10 fields', () => {
    const sections = fieldsSection(Array.from({ length: 25 }, (_, i) => `f${i}`));
    expect(sections.map((s) => s.fields?.length)).toEqual([10, 10, 5]);
    expect(sections[2]?.fields?.[4]?.text).toBe('f24');
    expect(fieldsSection([])).toEqual([]);
  });

  it('context: 10 elements; more are folded into the 10th, none lost', () => {
    expect(context(Array(10).fill('c')).elements).toHaveLength(10);
    const block = context(Array.from({ length: 12 }, (_, i) => `c${i}`));
    expect(block.elements).toHaveLength(10);
    expect(block.elements[9]).toEqual({ type: 'mrkdwn', text: 'c9  c10  c11' });
  });

  it('actions: 25 elements; 26 throws (a silently dropped button would go unnoticed)', () => {
    const buttons = (n: number) =>
      Array.from({ length: n }, (_, i) => button({ actionId: `a${i}`, text: 'Go', value: 'v' }));
    expect(actions('b', buttons(25)).elements).toHaveLength(25);
    expect(() => actions('b', buttons(26))).toThrow(/26 actions elements, the limit is 25/);
    expect(() => actions(over(255), buttons(1))).toThrow(RangeError);
  });

  it('divider', () => {
    expect(divider()).toEqual({ type: 'divider' });
  });
});

describe('elements', () => {
  it('button: text 75 cut; action_id 255, value 2000 and url 3000 throw beyond', () => {
    const b = button({ actionId: at(255), text: over(75), value: at(2000), url: at(3000) });
    expectCutTo(b.text.text, 75);
    expect(b.value).toHaveLength(2000);
    expect(() => button({ actionId: over(255), text: 't' })).toThrow(RangeError);
    expect(() => button({ actionId: 'a', text: 't', value: over(2000) })).toThrow(RangeError);
    expect(() => button({ actionId: 'a', text: 't', url: over(3000) })).toThrow(RangeError);
  });

  it('button confirm dialog: title 100, text 300, confirm/deny 30', () => {
    const { confirm } = button({
      actionId: 'a',
      text: 'Revoke',
      style: 'danger',
      confirm: {
        title: over(100),
        text: over(300),
        confirm: over(30),
        deny: at(30),
        style: 'danger',
      },
    });
    expectCutTo(confirm?.title?.text ?? '', 100);
    expectCutTo(confirm?.text.text ?? '', 300);
    expectCutTo(confirm?.confirm?.text ?? '', 30);
    expect(confirm?.deny?.text).toBe(at(30));
  });

  it('option: text and description 75 cut; value 75 ok, 76 throws (ids are never cut)', () => {
    const o = option(over(75), at(75), over(75));
    expectCutTo(o.text.text, 75);
    expectCutTo(o.description?.text ?? '', 75);
    expect(o.value).toBe(at(75));
    expect(() => option('t', over(75))).toThrow(RangeError);
  });

  it('staticSelect: 100 options; 101 or none throws; initial option is the matching one', () => {
    const select = staticSelect({ actionId: 's', options: options(100), initialValue: 'v42' });
    expect(select.options).toHaveLength(100);
    expect(select.initial_option?.value).toBe('v42');
    expect(
      staticSelect({ actionId: 's', options: options(3), initialValue: 'nope' }).initial_option,
    ).toBeUndefined();
    expect(() => staticSelect({ actionId: 's', options: options(101) })).toThrow(RangeError);
    expect(() => staticSelect({ actionId: 's', options: [] })).toThrow(RangeError);
  });

  it('multiStaticSelect: 100 options; 101 throws; placeholder 150', () => {
    const select = multiStaticSelect({
      actionId: 's',
      options: options(100),
      initialValues: ['v1', 'v3'],
      placeholder: over(150),
    });
    expect(select.initial_options?.map((o) => o.value)).toEqual(['v1', 'v3']);
    expectCutTo(select.placeholder?.text ?? '', 150);
    expect(() => multiStaticSelect({ actionId: 's', options: options(101) })).toThrow(RangeError);
  });

  it('checkboxes and radio buttons: 10 options; 11 throws', () => {
    expect(checkboxes({ actionId: 'c', options: options(10) }).options).toHaveLength(10);
    expect(radioButtons({ actionId: 'r', options: options(10) }).options).toHaveLength(10);
    expect(() => checkboxes({ actionId: 'c', options: options(11) })).toThrow(RangeError);
    expect(() => radioButtons({ actionId: 'r', options: options(11) })).toThrow(RangeError);
  });

  it('plainTextInput: max_length clamped to 1–3000, initial value cut to it', () => {
    expect(plainTextInput({ actionId: 'i', maxLength: 5000 }).max_length).toBe(3000);
    expect(plainTextInput({ actionId: 'i', maxLength: 0 }).max_length).toBe(1);
    expect(plainTextInput({ actionId: 'i', maxLength: 10, minLength: 50 }).min_length).toBe(10);
    expectCutTo(
      plainTextInput({ actionId: 'i', maxLength: 10, initialValue: over(10) }).initial_value ?? '',
      10,
    );
    expectCutTo(
      plainTextInput({ actionId: 'i', initialValue: over(3000) }).initial_value ?? '',
      3000,
    );
    expectCutTo(
      plainTextInput({ actionId: 'i', placeholder: over(150) }).placeholder?.text ?? '',
      150,
    );
  });

  it('input: label and hint 2000', () => {
    const block = input({
      blockId: 'b',
      label: over(2000),
      hint: at(2000),
      optional: true,
      element: plainTextInput({ actionId: 'i' }),
    });
    expectCutTo(block.label.text, 2000);
    expect(block.hint?.text).toBe(at(2000));
    expect(block.optional).toBe(true);
  });
});

describe('views', () => {
  const blocks = (n: number): KnownBlock[] => Array.from({ length: n }, () => divider());

  it('modal: title, submit and close cut to 24, exactly', () => {
    const view = modal({
      callbackId: 'c',
      title: at(24),
      submit: over(24),
      close: over(24),
      blocks: [],
    });
    expect(view.title.text).toBe(at(24));
    expectCutTo(view.submit?.text ?? '', 24);
    expectCutTo(view.close?.text ?? '', 24);
    expectCutTo(modal({ callbackId: 'c', title: over(24), blocks: [] }).title.text, 24);
  });

  it('modal: 100 blocks; 101 throws', () => {
    expect(modal({ callbackId: 'c', title: 't', blocks: blocks(100) }).blocks).toHaveLength(100);
    expect(() => modal({ callbackId: 'c', title: 't', blocks: blocks(101) })).toThrow(
      /101 modal blocks/,
    );
    expect(() => homeView(blocks(101))).toThrow(RangeError);
  });

  it('modal: callback_id 255 and private_metadata 3000 throw beyond', () => {
    const view = modal({ callbackId: at(255), title: 't', blocks: [], privateMetadata: at(3000) });
    expect(view.private_metadata).toHaveLength(3000);
    expect(() => modal({ callbackId: over(255), title: 't', blocks: [] })).toThrow(RangeError);
    expect(() =>
      modal({ callbackId: 'c', title: 't', blocks: [], privateMetadata: over(3000) }),
    ).toThrow(RangeError);
  });

  it('type-checks as views.open and chat.postMessage arguments', () => {
    // Compile-time: tsc fails here if the builders drift from @slack/web-api's types.
    const open: Parameters<webApi.WebClient['views']['open']>[0] = {
      trigger_id: 't',
      view: modal({ callbackId: 'c', title: 't', blocks: [header('h'), section('s')] }),
    };
    const post: Parameters<webApi.WebClient['chat']['postMessage']>[0] = {
      channel: 'C1',
      text: 'fallback',
      blocks: fitMessage([header('h'), context(['c'])], more),
    };
    expect(open.view.type).toBe('modal');
    expect(post.channel).toBe('C1');
  });
});

describe('escapeMrkdwn', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['<@U1>', '&lt;@U1&gt;'],
    ['<http://x|y>', '&lt;http://x|y&gt;'],
    ['&amp;', '&amp;amp;'],
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
  ])('%s → %s', (raw, escaped) => {
    expect(escapeMrkdwn(raw)).toBe(escaped);
  });

  it('leaves no angle bracket for Slack to parse as a mention or link', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeMrkdwn(s)).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('messages', () => {
  const item = (i: number) => section(`*Certificate ${i}* expires soon`);

  it('leaves a message that fits untouched', () => {
    const blocks = Array.from({ length: 50 }, (_, i) => item(i));
    expect(messageFits(blocks, 'x')).toBe(true);
    expect(fitMessage(blocks, more)).toEqual(blocks);
  });

  it('fits 200 blocks into 50 with a note counting the rest', () => {
    const blocks = Array.from({ length: 200 }, (_, i) => item(i));
    expect(messageFits(blocks, 'x')).toBe(false);
    const fitted = fitMessage(blocks, more);
    expect(fitted).toHaveLength(50);
    expect(fitted.slice(0, 49)).toEqual(blocks.slice(0, 49));
    expect(fitted.at(-1)).toEqual(context(['…and 151 more']));
    expect(messageFits(fitted, 'x')).toBe(true);
  });

  it('drops blocks to stay within the character budget', () => {
    const blocks = Array.from({ length: 10 }, () => section(at(3000)));
    const fitted = fitMessage(blocks, more);
    expect(blocksSize(fitted)).toBeLessThanOrEqual(LIMITS.messageBlocksChars);
    expect(fitted).toHaveLength(4);
    expect(fitted.at(-1)).toEqual(context(['…and 7 more']));
  });

  it('honours custom limits, at worst leaving only the note', () => {
    const blocks = Array.from({ length: 10 }, (_, i) => item(i));
    expect(fitMessage(blocks, more, 5)).toHaveLength(5);
    expect(fitMessage(blocks, more, 1)).toEqual([context(['…and 10 more'])]);
    expect(fitMessage(blocks, more, 50, 10)).toEqual([context(['…and 10 more'])]);
  });

  it('checks the 40,000 text fallback', () => {
    expect(messageFits([], at(40_000))).toBe(true);
    expect(messageFits([], over(40_000))).toBe(false);
    expectCutTo(fallbackText(over(40_000)), 40_000);
  });
});

describe('paginate', () => {
  const items = Array.from({ length: 23 }, (_, i) => i);

  it('returns 0-based pages', () => {
    expect(paginate(items, 0, 10)).toEqual({
      items: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      page: 0,
      pages: 3,
      hasPrev: false,
      hasNext: true,
    });
    expect(paginate(items, 2, 10)).toMatchObject({
      items: [20, 21, 22],
      hasPrev: true,
      hasNext: false,
    });
  });

  it('clamps pages that came back from Slack out of range', () => {
    expect(paginate(items, 99, 10).page).toBe(2);
    expect(paginate(items, -1, 10).page).toBe(0);
    expect(paginate(items, Number.NaN, 10).page).toBe(0);
    expect(paginate(items, 1.7, 10).page).toBe(1);
  });

  it('has one empty page for an empty list and rejects bad page sizes', () => {
    expect(paginate([], 0, 10)).toEqual({
      items: [],
      page: 0,
      pages: 1,
      hasPrev: false,
      hasNext: false,
    });
    expect(() => paginate(items, 0, 0)).toThrow(RangeError);
  });

  it('pages of 100 always fit a static select', () => {
    const many = Array.from({ length: 250 }, (_, i) => option(`o${i}`, `v${i}`));
    const { items: page, pages } = paginate(many, 2, LIMITS.selectOptions);
    expect(pages).toBe(3);
    expect(staticSelect({ actionId: 's', options: page }).options).toHaveLength(50);
  });
});
