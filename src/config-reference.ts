import { CONFIG_SECTIONS, type ConfigSection, configReference } from './config.js';

/**
 * The variable tables of docs/configuration.md, written from the declarations in config.ts
 * (`npm run docs:config`). Only the part between the two markers is generated; the prose around
 * it is written by hand.
 */

export const GENERATED_BEGIN =
  '<!-- Generated from src/config.ts by `npm run docs:config`: edit the declarations, not this table. -->';
export const GENERATED_END = '<!-- End of the generated part. -->';

const COLUMNS = ['Variable', 'Required', 'Default', 'Meaning'] as const;

/** One table per section, in section order; variables in declaration order within it. */
export function renderConfigurationTables(): string {
  const variables = configReference();
  const sections = Object.entries(CONFIG_SECTIONS) as [ConfigSection, string][];
  return sections
    .map(([section, title]) => {
      const rows = variables
        .filter((variable) => variable.section === section)
        .map((variable) => [
          `\`${variable.name}\``,
          variable.required,
          variable.defaultText,
          variable.secret
            ? `${variable.description} Secret: never shown in error lines or logs.`
            : variable.description,
        ]);
      return `### ${title}\n\n${table([[...COLUMNS], ...rows])}`;
    })
    .join('\n\n');
}

/** The document with its generated part replaced; throws when the markers are missing. */
export function withConfigurationTables(document: string): string {
  const begin = document.indexOf(GENERATED_BEGIN);
  const end = document.indexOf(GENERATED_END);
  if (begin === -1 || end < begin) {
    throw new Error(`the markers of the generated part are missing: ${GENERATED_BEGIN}`);
  }
  const before = document.slice(0, begin + GENERATED_BEGIN.length);
  return `${before}\n\n${renderConfigurationTables()}\n\n${document.slice(end)}`;
}

/** A Markdown table padded as Biome formats it, so `biome check` accepts the file as written. */
function table(rows: readonly (readonly string[])[]): string {
  const cells = rows.map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = COLUMNS.map((_, column) =>
    Math.max(...cells.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell + ' '.repeat((widths[column] ?? 0) - displayWidth(cell))).join(' | ')} |`;
  const [header = [], ...body] = cells;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join(
    '\n',
  );
}

// Wide characters (CJK, emoji) take two columns in Biome's alignment, like in a terminal.
const WIDE =
  /[\u{1100}-\u{115F}\u{2E80}-\u{A4CF}\u{AC00}-\u{D7A3}\u{F900}-\u{FAFF}\u{FE30}-\u{FE4F}\u{FF00}-\u{FF60}\u{FFE0}-\u{FFE6}\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}
