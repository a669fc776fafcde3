import { z } from 'zod';
import {
  APPLICATION_KINDS,
  APPLICATION_STATUSES,
  type Application,
  VALIDATION_METHODS,
} from '../domain/application.js';
import {
  CERTIFICATE_SOURCES,
  type Certificate,
  INSTANCE_CREDITS,
  RENEWAL_FAILURE_KINDS,
} from '../domain/certificate.js';
import type { Contact } from '../domain/contact.js';
import { DOMAIN_TYPES, VALIDATION_TYPES } from '../domain/spec.js';
import { CERTIFICATE_STATES } from '../domain/states.js';

/**
 * Entities live in Redis hashes: strings as they are, everything else as JSON. Reading goes
 * through these schemas, so a hash damaged by hand or by an old version is reported, not used.
 */
export function encodeHash(entity: object): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (value === undefined) continue;
    fields[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return fields;
}

/**
 * An entity's hash, kept small (100,000 certificates should fit in well under 100 MB): the id is
 * left out (the key names it) and a certificate's spec is a 4-tuple instead of a JSON object.
 * Hashes written before (with `id`, spec as an object) still decode.
 */
export function encodeEntity(entity: { id: string }): Record<string, string> {
  const { id: _id, ...rest } = entity;
  const fields = encodeHash(rest);
  const spec = (rest as { spec?: Certificate['spec'] }).spec;
  if (spec !== undefined)
    fields.spec = JSON.stringify([spec.brand, spec.validationType, spec.domainType, spec.grade]);
  return fields;
}

/** Field names an older codec wrote that the current one does not: cleared on each update. */
export const LEGACY_ENTITY_FIELDS = ['id'] as const;

/**
 * An entity's own history (for `/cert status`) lives in its hash, one field per version it
 * produced: `@1` is the creation, `@2` the first update, and so on. The global audit stream keeps
 * every entry; the hash keeps the latest HISTORY_INLINE, so that it stays a compact listpack.
 */
export const HISTORY_INLINE = 50;
export const historyField = (version: number): string => `@${version}`;

export interface HistoryEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly to?: string;
  readonly from?: string;
  readonly reason?: string;
}

/** `[at, actor, action, to, from, reason]`, absent ones null and trailing nulls left out. */
export function encodeHistoryEntry(entry: HistoryEntry): string {
  const row: unknown[] = [
    entry.at,
    entry.actor,
    entry.action,
    entry.to ?? null,
    entry.from ?? null,
    entry.reason ?? null,
  ];
  while (row.at(-1) === null) row.pop();
  return JSON.stringify(row);
}

const optional = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const historyRow = z
  .tuple([z.number(), z.string(), z.string()], optional)
  .transform(([at, actor, action, to, from, reason]) => ({ at, actor, action, to, from, reason }));
/** What the per-entity lists of an older version hold: the audit fields as strings. */
const legacyHistoryRow = z.object({
  at: z.coerce.number(),
  actor: z.string().default(''),
  action: z.string().default(''),
  to: z.string().optional(),
  from: z.string().optional(),
  reason: z.string().optional(),
});

export function decodeHistoryEntry(text: string): HistoryEntry {
  const parsed = z.union([historyRow, legacyHistoryRow]).safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`unreadable history entry: ${text.slice(0, 100)}`);
  const { at, actor, action, to, from, reason } = parsed.data;
  return {
    at,
    actor,
    action,
    ...(reason === undefined ? {} : { reason }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

function json<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

const epochMs = json(z.number().int());
const count = json(z.number().int().nonnegative());
const ids = json(z.array(z.string()));

const specSchema = z.object({
  brand: z.string(),
  validationType: z.enum(VALIDATION_TYPES),
  domainType: z.enum(DOMAIN_TYPES),
  grade: z.string(),
});

/** Written as `[brand, validationType, domainType, grade]`; older hashes hold the object. */
const storedSpec = z.preprocess(
  (value) =>
    Array.isArray(value)
      ? { brand: value[0], validationType: value[1], domainType: value[2], grade: value[3] }
      : value,
  specSchema,
);

/** A certificate hash's `spec` field alone (read without the rest of the hash). */
export const specField = json(storedSpec);

export const certificateHash = z.object({
  id: z.string(),
  name: z.string(),
  spec: specField,
  validityYears: count,
  domainQuota: count,
  state: z.enum(CERTIFICATE_STATES),
  source: z.enum(CERTIFICATE_SOURCES),
  domains: ids,
  team: z.string(),
  ownerUserId: z.string().optional(),
  contactId: z.string().optional(),
  hosted: json(z.boolean()),
  hostingCredit: z.enum(INSTANCE_CREDITS).optional(),
  renewalId: z.string().optional(),
  renewalOf: z.string().optional(),
  // Written since issue 13; older hashes have none.
  renewalFailure: json(
    z.object({ kind: z.enum(RENEWAL_FAILURE_KINDS), at: z.number().int(), reason: z.string() }),
  ).optional(),
  openApplicationId: z.string().optional(),
  caOrderId: z.string().optional(),
  mergedInto: z.string().optional(),
  combinedFrom: ids.optional(),
  notBefore: epochMs.optional(),
  notAfter: epochMs.optional(),
  issuer: z.string().optional(),
  serialNumber: z.string().optional(),
  fingerprintSha256: z.string().optional(),
  keyType: z.string().optional(),
  version: count,
  createdAt: epochMs,
  updatedAt: epochMs,
}) satisfies z.ZodType<Certificate, Record<string, string>>;

const slaSchema = z.object({
  submittedAt: z.number().int(),
  remindAt: z.number().int(),
  expectedFrom: z.number().int(),
  expectedBy: z.number().int(),
  breachAt: z.number().int(),
  estimated: z.boolean(),
});

const refusalSchema = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const applicationHash = z.object({
  id: z.string(),
  kind: z.enum(APPLICATION_KINDS),
  certificateId: z.string(),
  requesterId: z.string(),
  team: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  domains: ids,
  validationMethod: z.enum(VALIDATION_METHODS).optional(),
  contactId: z.string().optional(),
  hosting: json(z.boolean()),
  combineWith: ids.optional(),
  decidedBy: z.string().optional(),
  decidedAt: epochMs.optional(),
  decisionReason: z.string().optional(),
  lapse: json(refusalSchema).optional(),
  sla: json(slaSchema).optional(),
  slaNotified: z.enum(['remind', 'breach']).optional(),
  caErrorSince: epochMs.optional(),
  version: count,
  createdAt: epochMs,
  updatedAt: epochMs,
}) satisfies z.ZodType<Application, Record<string, string>>;

export const contactHash = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  team: z.string(),
  createdBy: z.string(),
  createdAt: epochMs,
}) satisfies z.ZodType<Contact, Record<string, string>>;

export class CorruptEntityError extends Error {
  constructor(key: string, issues: string) {
    super(`stored entity ${key} is not valid: ${issues}`);
    this.name = 'CorruptEntityError';
  }
}

/**
 * Decodes an entity hash read from Redis; an empty hash means the entity does not exist. The id
 * comes from the key (hashes written before also hold it as a field); `hash` gets it set.
 */
export function decodeHash<T>(
  schema: z.ZodType<T, Record<string, string>>,
  key: string,
  id: string,
  hash: Record<string, string>,
): T | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  // The hash is the reply just read and owned here: setting the id on it avoids a copy, which
  // measured as dear as the whole decode (getMany of 3,000: +15 ms).
  hash.id = id;
  const parsed = schema.safeParse(hash);
  if (!parsed.success) {
    throw new CorruptEntityError(
      key,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
