/**
 * Bulk load of purchases made outside CertOps, all or nothing:
 *
 *   npm run import-purchases -- --as <SlackUserId> <file.json>
 *
 * `--as` names who records them (audit log): an admin or approver (CERTOPS_ADMINS,
 * CERTOPS_APPROVERS). The configuration (.env / environment) is the bot's own: REDIS_URL and
 * CERTOPS_KEY_PREFIX say where the store is.
 *
 * The file is a JSON array of purchase records, the same records `/cert purchase` makes
 * (`purchaseRecordSchema` in src/usecases/record-purchase.ts), e.g.
 * test/fixtures/purchases/example.json:
 *
 *   [
 *     { "kind": "instances", "brand": "DigiCert", "validationType": "OV", "domainType": "multi",
 *       "grade": "standard", "validityYears": 1, "domainQuota": 5, "quantity": 10,
 *       "team": "web", "name": "Web shop OV" },
 *     { "kind": "hosting_credits", "team": "web", "count": 20 }
 *   ]
 *
 * - `instances`: `quantity` (1-100) instances of one spec for `team`, each `pending_application`.
 *   brand and grade: 1-40 characters; validationType: DV, OV or EV; domainType: single, multi,
 *   wildcard, multi_wildcard or hybrid; validityYears: 1-3; domainQuota: 1-250 (exactly 1 for
 *   single and wildcard); name (optional): 1-64 characters, default "<brand> <type> <domainType>".
 * - `hosting_credits`: `count` (1-1000) hosting credits added to `team`.
 * - team: 1-32 lower-case letters, digits, _ or -; teams are made up of users in CERTOPS_TEAMS
 *   (everyone else works in `default`).
 * - At most 1000 instances per file.
 *
 * The whole file is checked first: every problem is printed on its own line as
 * `[index].field: problem`, the exit code is 1, and nothing is written. A valid file is
 * recorded in one atomic change and the new certificate ids are printed, one per line.
 * Exit codes: 0 recorded; 1 invalid file or refused (nothing written); 64 usage; 78 configuration.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config.js';
import type { Refusal } from '../domain/result.js';
import type { UseCaseContext } from '../usecases/context.js';
import {
  type PurchaseOutcome,
  type PurchaseRecord,
  purchaseRecordSchema,
  recordPurchases,
} from '../usecases/record-purchase.js';
import { withCliContext } from './cli-context.js';

export const USAGE = 'usage: npm run import-purchases -- --as <SlackUserId> <file.json>';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export type ImportArgs =
  | { readonly ok: true; readonly actor: string; readonly file: string }
  | { readonly ok: false; readonly error: string };

/** `--as U123 file.json` (or `--as=U123`), in any order. */
export function parseImportArgs(argv: readonly string[]): ImportArgs {
  let actor: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--as') {
      actor = argv[++i];
      if (actor === undefined) return { ok: false, error: '--as needs a Slack user id' };
    } else if (arg.startsWith('--as=')) {
      actor = arg.slice('--as='.length);
    } else if (arg.startsWith('-')) {
      return { ok: false, error: `unknown option ${arg}` };
    } else {
      files.push(arg);
    }
  }
  if (actor === undefined) return { ok: false, error: '--as <SlackUserId> is required' };
  if (!SLACK_USER_ID.test(actor))
    return { ok: false, error: `--as ${actor} is not a Slack user id (U… or W…)` };
  if (files.length !== 1)
    return { ok: false, error: files.length === 0 ? 'no file given' : 'give exactly one file' };
  return { ok: true, actor, file: files[0] as string };
}

export type FileCheck =
  | { readonly ok: true; readonly records: PurchaseRecord[] }
  | { readonly ok: false; readonly problems: string[] };

const fileSchema = z.array(purchaseRecordSchema).min(1, 'the file holds no purchase records');

/** `[3].domainQuota`, `[0]`, or `(file)` for the whole file. */
function where(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** The file's text checked against `z.array(purchaseRecordSchema)`: records, or every problem. */
export function validatePurchaseFile(text: string): FileCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`(file): not valid JSON (${(error as Error).message})`] };
  }
  const parsed = fileSchema.safeParse(json);
  if (parsed.success) return { ok: true, records: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`),
  };
}

function refusalLine(refusal: Refusal): string {
  const p = refusal.params ?? {};
  switch (refusal.code) {
    case 'purchase.not_allowed':
      return `${p.user} may not record purchases: only CERTOPS_ADMINS and CERTOPS_APPROVERS may`;
    case 'purchase.too_many':
      return `(file): ${p.count} instances in one file, at most ${p.max}: split the file`;
    case 'purchase.empty':
      return '(file): the file holds no purchase records';
    default:
      return `refused: ${refusal.code} ${JSON.stringify(p)}`;
  }
}

export type ImportOutcome =
  | { readonly ok: true; readonly outcome: PurchaseOutcome }
  | { readonly ok: false; readonly problems: string[] };

/** Checks the file, then records every purchase in it in one atomic change, or none. */
export async function importPurchases(
  ctx: UseCaseContext,
  actor: string,
  text: string,
): Promise<ImportOutcome> {
  const checked = validatePurchaseFile(text);
  if (!checked.ok) return checked;
  const result = await recordPurchases(ctx, actor, checked.records);
  if (!result.ok) return { ok: false, problems: [refusalLine(result.refusal)] };
  return { ok: true, outcome: result.value };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseImportArgs(argv);
  if (!args.ok) {
    console.error(args.error);
    console.error(USAGE);
    return 64;
  }
  let text: string;
  try {
    text = await readFile(args.file, 'utf8');
  } catch (error) {
    console.error(`cannot read ${args.file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return 1;
  }
  // Checked before connecting, so a bad file needs neither configuration nor Redis.
  const checked = validatePurchaseFile(text);
  if (!checked.ok) {
    for (const problem of checked.problems) console.error(problem);
    console.error(`${args.file}: ${checked.problems.length} problem(s), nothing was recorded`);
    return 1;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.errors) console.error(`config: ${line}`);
    return 78;
  }
  return withCliContext(config, 'import-purchases', async (ctx) => {
    const imported = await importPurchases(ctx, args.actor, text);
    if (!imported.ok) {
      for (const problem of imported.problems) console.error(problem);
      console.error('nothing was recorded');
      return 1;
    }
    const { certificateIds, credits } = imported.outcome;
    const out: string[] = [];
    if (certificateIds.length > 0)
      out.push(`recorded ${certificateIds.length} certificate instance(s):`, ...certificateIds);
    for (const { team, count } of credits)
      out.push(`added ${count} hosting credit(s) to team ${team}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`import-purchases failed: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
