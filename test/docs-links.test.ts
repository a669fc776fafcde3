import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** The text a reader sees as prose: fenced blocks and inline code hold examples, not links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Link targets: `[text](target)` and `[text](target "title")`. */
function linkTargets(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    (match) => match[1] ?? '',
  );
}

/** Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to `-`. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const withoutFences = markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
  for (const [, heading = ''] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** Why a relative link from `document` does not lead anywhere, or undefined when it does. */
function brokenBecause(document: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#', 2);
  const file = path === '' ? join(root, document) : resolve(dirname(join(root, document)), path);
  const inRepo = relative(root, file);
  if (inRepo.startsWith('..')) return 'points outside the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || extname(file) !== '.md')
    return 'an anchor in a non-Markdown file';
  return anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))
    ? undefined
    : `no heading #${anchor} in ${inRepo}`;
}

describe('links in README.md and docs/*.md', () => {
  it('finds the documents and their links', () => {
    expect(documents).toContain('docs/configuration.md');
    expect(linkTargets(readFileSync(join(root, 'README.md'), 'utf8'))).toContain(
      'docs/configuration.md',
    );
  });

  it.each(documents)(
    '%s: every relative link reaches a file and heading in the repository',
    (document) => {
      const broken = linkTargets(readFileSync(join(root, document), 'utf8'))
        .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
        .flatMap((target) => {
          const why = brokenBecause(document, target);
          return why === undefined ? [] : [`${target}: ${why}`];
        });
      expect(broken).toEqual([]);
    },
  );

  it('makes anchors as GitHub does', () => {
    expect([
      ...anchors('# Clocks (BullMQ)\n## Demo data (`--demo`)\n## Redis\n## Redis\n```\n# not\n```'),
    ]).toEqual(['clocks-bullmq', 'demo-data---demo', 'redis', 'redis-1']);
  });
});
