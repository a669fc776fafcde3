/**
 * `npm run docs:config`: writes the variable tables of docs/configuration.md from the
 * declarations in src/config.ts. test/config-reference.test.ts fails while they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigurationTables } from '../src/config-reference.js';

const file = new URL('../docs/configuration.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = withConfigurationTables(before);
if (after === before) {
  process.stdout.write('docs/configuration.md is up to date\n');
} else {
  writeFileSync(file, after);
  process.stdout.write('docs/configuration.md written\n');
}
