/**
 * Rules refuse with a code and parameters, never with prose: the Slack adapter turns a refusal
 * into a message from its catalog (English or zh-CN), so the same refusal reads right in both.
 */
export interface Refusal<Code extends string = string> {
  readonly code: Code;
  readonly params?: Readonly<Record<string, string | number>>;
}

export type Result<T, Code extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly refusal: Refusal<Code> };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function refuse<Code extends string>(
  code: Code,
  params?: Record<string, string | number>,
): { readonly ok: false; readonly refusal: Refusal<Code> } {
  return params === undefined
    ? { ok: false, refusal: { code } }
    : { ok: false, refusal: { code, params } };
}
