import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, configReference, parseConfig } from '../src/config.js';
import { withConfigurationTables } from '../src/config-reference.js';

const minimal = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-bot',
  SLACK_SIGNING_SECRET: 'a1b2c3d4e5f6a7b8c9d0',
  CERTOPS_APPROVERS: 'U012AB3CD',
  CERTOPS_APPROVAL_CHANNEL: 'C0APPROVE',
  CERTOPS_SUPPORT_CHANNEL: 'C0SUPPORT',
} as const;

const reference = configReference();
const docFile = new URL('../docs/configuration.md', import.meta.url);
const exampleFile = new URL('../.env.example', import.meta.url);

/** The cells of every table row whose first cell names a variable: name -> cells. */
function documentedRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (name === undefined) continue;
    expect(rows.has(name), `${name} is documented twice`).toBe(false);
    rows.set(name, cells);
  }
  return rows;
}

describe('the declarations', () => {
  it('give every default as a value that reads like a given one, and changes nothing', () => {
    const unset = parseConfig(minimal);
    if (!unset.ok) throw new Error(unset.errors.join('\n'));
    for (const variable of reference.filter((v) => v.default !== undefined)) {
      const written = parseConfig({ ...minimal, [variable.name]: variable.default });
      if (!written.ok) throw new Error(written.errors.join('\n'));
      // Setting REDIS_URL is what tells a production Redis from the fallback; nothing else moves.
      expect(
        { ...written.config, redis: { ...written.config.redis, urlGiven: false } },
        variable.name,
      ).toEqual(unset.config);
    }
  });

  it('call required exactly what is reported missing when unset', () => {
    const result = parseConfig({ SLACK_APP_TOKEN: 'xapp-1-A111-app' });
    const missing = result.ok ? [] : result.errors.map((line) => line.split(' ')[0]);
    expect(reference.filter((v) => v.required === 'yes').map((v) => v.name)).toEqual(missing);
  });
});

describe('docs/configuration.md', () => {
  const doc = readFileSync(docFile, 'utf8');

  it('is what `npm run docs:config` writes', () => {
    expect(doc, 'run `npm run docs:config`').toBe(withConfigurationTables(doc));
  });

  it('documents every variable once, no other, with its default and whether it is required', () => {
    const rows = documentedRows(doc);
    expect([...rows.keys()].sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const variable of reference) {
      const [, required, defaultText] = rows.get(variable.name) ?? [];
      expect({ required, defaultText }, variable.name).toEqual({
        required: variable.required,
        defaultText: variable.defaultText,
      });
    }
  });
});

describe.skipIf(!existsSync(exampleFile))('.env.example', () => {
  const lines = existsSync(exampleFile) ? readFileSync(exampleFile, 'utf8').split('\n') : [];
  // `NAME=value` or `# NAME=value`: the lines that set or show a variable (not prose).
  const settings = lines.flatMap((line) => {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    return match
      ? [{ commented: match[1] !== undefined, name: match[2] ?? '', value: match[3] }]
      : [];
  });

  it('names every variable, and only those', () => {
    const named = new Set(settings.map((setting) => setting.name));
    expect([...named].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('sets every required variable', () => {
    for (const variable of reference.filter((v) => v.required === 'yes')) {
      expect(
        settings.some((setting) => setting.name === variable.name && !setting.commented),
        variable.name,
      ).toBe(true);
    }
  });

  it('shows the default on a commented-out line of a variable that has one', () => {
    for (const variable of reference.filter((v) => v.default !== undefined)) {
      for (const setting of settings.filter((s) => s.name === variable.name && s.commented)) {
        expect(setting.value, variable.name).toBe(variable.default);
      }
    }
  });
});
