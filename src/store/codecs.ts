import { z } from 'zod';
import {
  APPLICATION_KINDS,
  APPLICATION_STATUSES,
  type Application,
  VALIDATION_METHODS,
} from '../domain/application.js';
import { CERTIFICATE_SOURCES, type Certificate } from '../domain/certificate.js';
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

export const certificateHash = z.object({
  id: z.string(),
  name: z.string(),
  spec: json(specSchema),
  validityYears: count,
  domainQuota: count,
  state: z.enum(CERTIFICATE_STATES),
  source: z.enum(CERTIFICATE_SOURCES),
  domains: ids,
  team: z.string(),
  ownerUserId: z.string().optional(),
  contactId: z.string().optional(),
  hosted: json(z.boolean()),
  renewalId: z.string().optional(),
  renewalOf: z.string().optional(),
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

/** Decodes a hash read from Redis; an empty hash means the entity does not exist. */
export function decodeHash<T>(
  schema: z.ZodType<T, Record<string, string>>,
  key: string,
  hash: Record<string, string>,
): T | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const parsed = schema.safeParse(hash);
  if (!parsed.success) {
    throw new CorruptEntityError(
      key,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  return parsed.data;
}
