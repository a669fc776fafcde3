/**
 * Brings CertOps up to date with Alibaba Cloud CAS:
 *
 *   npm run sync-alibaba-cas -- --as <SlackUserId>
 *
 * 1. imports the CAS orders (CPACK) CertOps does not know yet (`importCaOrders`), then
 * 2. tracks the certificates uploaded to CAS that CertOps does not track yet (`syncCaUploads`,
 *    by fingerprint; CAS's copy of the private key is never read).
 *
 * `--as` names who records them (audit log; owner of tracked uploads): an admin or approver
 * (CERTOPS_ADMINS, CERTOPS_APPROVERS). Needs the bot's configuration (.env / environment):
 * REDIS_URL, CERTOPS_KEY_PREFIX and ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (CERTOPS_ALIBABA_ENDPOINT
 * optional). Running it again adds nothing for what it added before.
 * Exit codes: 0 done; 1 refused or CAS failed; 64 usage; 78 configuration.
 */
import { pathToFileURL } from 'node:url';
import { type AlibabaCasProvider, createAlibabaCasProvider } from '../ca/alibaba-cas-provider.js';
import { type AlibabaCasConfig, ConfigError, loadConfig } from '../config.js';
import type { Refusal } from '../domain/result.js';
import { createLogger } from '../infra/logger.js';
import type { UseCaseContext } from '../usecases/context.js';
import { importCaOrders } from '../usecases/import-ca-orders.js';
import type { CaOrderSource, CaUploadSource, Logger } from '../usecases/ports/index.js';
import { syncCaUploads } from '../usecases/sync-ca-uploads.js';
import { withCliContext } from './cli-context.js';

export const USAGE = 'usage: npm run sync-alibaba-cas -- --as <SlackUserId>';

export const NO_CAS_CONFIG =
  'Alibaba Cloud CAS is not configured: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET';

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export type SyncArgs =
  | { readonly ok: true; readonly actor: string }
  | { readonly ok: false; readonly error: string };

/** `--as U123` (or `--as=U123`). */
export function parseSyncArgs(argv: readonly string[]): SyncArgs {
  let actor: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--as') {
      actor = argv[++i];
      if (actor === undefined) return { ok: false, error: '--as needs a Slack user id' };
    } else if (arg.startsWith('--as=')) {
      actor = arg.slice('--as='.length);
    } else {
      return { ok: false, error: `unexpected argument ${arg}` };
    }
  }
  if (actor === undefined) return { ok: false, error: '--as <SlackUserId> is required' };
  if (!SLACK_USER_ID.test(actor))
    return { ok: false, error: `--as ${actor} is not a Slack user id (U… or W…)` };
  return { ok: true, actor };
}

/** The provider from the configuration, or the one-line reason there is none. */
export function casProviderFrom(
  alibaba: AlibabaCasConfig | undefined,
  logger: Logger,
):
  | { readonly ok: true; readonly provider: AlibabaCasProvider }
  | { readonly ok: false; readonly error: string } {
  if (!alibaba) return { ok: false, error: NO_CAS_CONFIG };
  return { ok: true, provider: createAlibabaCasProvider(alibaba, logger) };
}

function refusalLine(refusal: Refusal): string {
  const p = refusal.params ?? {};
  switch (refusal.code) {
    case 'purchase.not_allowed':
      return `${p.user} may not import from Alibaba Cloud CAS: only CERTOPS_ADMINS and CERTOPS_APPROVERS may`;
    case 'ca.error':
      return `Alibaba Cloud CAS: ${p.error}`;
    default:
      return `refused: ${refusal.code} ${JSON.stringify(p)}`;
  }
}

export type SyncOutcome =
  | { readonly ok: true; readonly lines: string[] }
  | { readonly ok: false; readonly lines: string[]; readonly error: string };

/** Imports CAS orders, then tracks CAS uploads; the report, one line per fact. */
export async function syncAlibabaCas(
  ctx: UseCaseContext,
  provider: CaOrderSource & CaUploadSource,
  actor: string,
): Promise<SyncOutcome> {
  const lines: string[] = [];
  const orders = await importCaOrders(ctx, provider, actor);
  if (!orders.ok) return { ok: false, lines, error: refusalLine(orders.refusal) };
  const o = orders.value;
  lines.push(
    `CAS orders: ${o.created.length} imported, ${o.known} already tracked, ${o.skipped.length} skipped`,
  );
  for (const c of o.created) lines.push(`  imported ${c.certificateId} (CAS order ${c.orderId})`);
  for (const s of o.skipped) lines.push(`  skipped CAS order ${s.orderId}: ${s.reason}`);

  const uploads = await syncCaUploads(ctx, provider, actor);
  if (!uploads.ok) return { ok: false, lines, error: refusalLine(uploads.refusal) };
  const u = uploads.value;
  lines.push(
    `CAS uploads: ${u.created.length} tracked, ${u.known} already tracked, ${u.needsType.length} need a validation type, ${u.skipped.length} skipped`,
  );
  for (const c of u.created)
    lines.push(`  tracked ${c.certificateId} (CAS certificate ${c.casCertificateId})`);
  for (const id of u.needsType)
    lines.push(
      `  CAS certificate ${id} does not say DV/OV/EV: upload it with /cert upload and give the type`,
    );
  for (const s of u.skipped)
    lines.push(`  skipped CAS certificate ${s.casCertificateId}: ${s.reason}`);
  return { ok: true, lines };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseSyncArgs(argv);
  if (!args.ok) {
    console.error(args.error);
    console.error(USAGE);
    return 64;
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.errors) console.error(`config: ${line}`);
    return 78;
  }
  const alibaba = config.ca.alibaba;
  const logger = createLogger({
    level: config.logLevel,
    name: 'sync-alibaba-cas',
    secrets: alibaba ? [alibaba.accessKeySecret, alibaba.accessKeyId] : [],
  });
  const cas = casProviderFrom(alibaba, logger);
  if (!cas.ok) {
    console.error(cas.error);
    return 78;
  }
  return withCliContext(config, 'sync-alibaba-cas', async (ctx) => {
    const outcome = await syncAlibabaCas(ctx, cas.provider, args.actor);
    if (outcome.lines.length > 0) process.stdout.write(`${outcome.lines.join('\n')}\n`);
    if (!outcome.ok) {
      console.error(outcome.error);
      return 1;
    }
    return 0;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`sync-alibaba-cas failed: ${(error as Error).message}`);
      process.exitCode = 1;
    },
  );
}
