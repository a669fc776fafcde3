import { CaError } from '../usecases/ports/index.js';

export const CAS_PROVIDER = 'alibaba-cas';

/** What an SDK error carries (`@alicloud/openapi-core` ClientError, ServerError, ThrottlingError). */
interface SdkError {
  readonly statusCode?: unknown;
  readonly code?: unknown;
  readonly data?: unknown;
  readonly retryAfter?: unknown;
}

/** Codes Alibaba Cloud answers for a wrong or disabled AccessKey ID. */
const UNKNOWN_KEY = /^InvalidAccessKeyId(\.|$)/;
/** The secret does not match the ID (or the request was changed on the way). */
const BAD_SIGNATURE = /^(SignatureDoesNotMatch|IncompleteSignature|InvalidSignature)/;
const NO_PERMISSION = /^(Forbidden|NoPermission|NotAuthorized|AccessDenied)/;
const CLOCK_SKEW = /^(InvalidTimeStamp|RequestTimeTooSkewed)/;
/** Failures before the request left: CAS cannot have seen it. Any other silence may hide a done call. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Turns whatever the SDK threw into a CaError whose message says what to do, never containing
 * the AccessKey secret or ID (both are scrubbed from anything the server said). Throttling,
 * server errors and network failures are transient: the same call may succeed later.
 */
export function casError(action: string, error: unknown, secrets: readonly string[]): CaError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.code === 'string' ? e.code : '';
  const fail = (message: string, transient: boolean, outcomeUnknown = false) =>
    new CaError(CAS_PROVIDER, scrub(message, secrets), transient, outcomeUnknown);

  if (code.includes('Throttling') || status === 429)
    return fail(
      `Alibaba Cloud CAS is throttling ${action} calls (${code || status}); CertOps will try again later`,
      true,
    );
  if (status === undefined) {
    // No HTTP answer: DNS, connection, TLS or timeout. The SDK's own text names the URL, which
    // carries the request's fields (contact email and phone): only a system code is kept.
    const sys = /^[A-Z][A-Za-z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
    return fail(
      `Alibaba Cloud CAS could not be reached for ${action}${sys}`,
      true,
      !NOT_SENT.has(code),
    );
  }
  if (UNKNOWN_KEY.test(code))
    return fail(
      `Alibaba Cloud does not accept the AccessKey ID in ALIBABA_CLOUD_ACCESS_KEY_ID (${code}): check that it exists and is enabled`,
      false,
    );
  if (BAD_SIGNATURE.test(code))
    return fail(
      `Alibaba Cloud rejected the request signature (${code}): ALIBABA_CLOUD_ACCESS_KEY_SECRET does not belong to ALIBABA_CLOUD_ACCESS_KEY_ID`,
      false,
    );
  if (NO_PERMISSION.test(code))
    return fail(
      `the AccessKey may not call cas:${action} (${code}): grant the RAM user a policy that allows it, such as AliyunYundunCertFullAccess`,
      false,
    );
  if (CLOCK_SKEW.test(code))
    return fail(
      `Alibaba Cloud refused the request time (${code}): synchronise this server's clock (NTP)`,
      false,
    );
  const said = serverMessage(e.data);
  const detail = `${code || `HTTP ${status}`}${said ? `: ${said}` : ''}`;
  if (status >= 500)
    return fail(
      `Alibaba Cloud CAS failed on ${action} (${detail}); CertOps will try again later`,
      true,
    );
  return fail(`Alibaba Cloud CAS refused ${action} (${detail})`, false);
}

function serverMessage(data: unknown): string {
  if (typeof data !== 'object' || data === null) return '';
  const message =
    (data as Record<string, unknown>).Message ?? (data as Record<string, unknown>).message;
  if (typeof message !== 'string') return '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
  const flat = message.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** How long to keep quiet after a throttling answer (the SDK reads Retry-After when sent). */
export function throttlePauseMs(error: unknown): number | undefined {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const code = typeof e.code === 'string' ? e.code : '';
  if (!code.includes('Throttling') && e.statusCode !== 429) return undefined;
  const after = typeof e.retryAfter === 'number' && e.retryAfter > 0 ? e.retryAfter : 1000;
  return Math.min(after, 60_000);
}
