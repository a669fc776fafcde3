import { percentile, round } from './stats.js';

/** One row of the bench's table; `section` says which part of the bench measured it. */
export interface Row {
  readonly what: string;
  readonly measured: string;
  readonly goal: string;
  readonly pass: boolean | null;
  readonly section?: string;
}

/** What a part of the bench hands back to run.ts: its rows and its raw figures. */
export interface SectionResult {
  readonly rows: Row[];
  readonly figures: Record<string, unknown>;
}

export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

export const ms = (n: number): string => `${round(n)} ms`;

export function summary(values: readonly number[]) {
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: values.length === 0 ? Number.NaN : round(values.reduce((a, b) => Math.max(a, b))),
  };
}

/** A whole number from the environment (a bench knob), or `fallback` when unset. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export const sleep = (msToWait: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, msToWait));

/** `promise`, or undefined once `msToWait` have passed (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, msToWait: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), msToWait);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const mb = (bytes: number): number => round(bytes / 2 ** 20);
