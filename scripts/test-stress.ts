/**
 * `npm run test:stress`: the whole Vitest suite, again and again, while a CPU hog keeps every core
 * busy, until it has been green N times in a row (or a run limit is hit). A flaky test is a bug;
 * this is how they are found before CI finds them.
 *
 *   npm run test:stress                         # until 10 green in a row, at most 25 runs
 *   npm run test:stress -- --streak 3 --hogs 4  # shorter, harder
 *   npm run test:stress -- -- test/e2e          # only some files (after a second --)
 *
 * It installs nothing: the load generator is a busy loop in child Node processes, one per core by
 * default, stopped when the script ends (also if the script itself is killed: each hog watches
 * its stdin pipe). Ctrl-C or SIGTERM stops the Vitest run under way too (its whole process group,
 * waited for); a SIGKILL of the script leaves that run to finish on its own (`vitest run` ends).
 * Each run's result, wall time and load average are printed as a Markdown table and the failures
 * with their first error line, so a report can be pasted as it is.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const USAGE = `usage: npm run test:stress -- [--streak N] [--max-runs N] [--hogs N] [-- vitest args]
  --streak N    stop after N green runs in a row (default 10)
  --max-runs N  give up after N runs (default 25)
  --hogs N      busy-loop processes (default: one per core, ${availableParallelism()} here)`;

/**
 * A hog: spins in 50 ms slices and yields in between, so that it notices its stdin closing
 * (the parent is gone) and exits instead of burning a core for ever.
 */
const HOG = `
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
const spin = () => { const end = Date.now() + 50; while (Date.now() < end) {} setImmediate(spin); };
spin();
`;

const VitestReport = z.object({
  numTotalTests: z.number(),
  numFailedTests: z.number(),
  testResults: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      message: z.string().optional(),
      assertionResults: z.array(
        z.object({
          fullName: z.string(),
          status: z.string(),
          failureMessages: z.array(z.string()).optional(),
        }),
      ),
    }),
  ),
});

interface RunResult {
  readonly run: number;
  readonly green: boolean;
  readonly seconds: number;
  readonly load: number;
  readonly tests: number;
  readonly failures: readonly string[];
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, not ${JSON.stringify(value)}\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function startHogs(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', HOG], { stdio: ['pipe', 'ignore', 'inherit'] }),
  );
}

async function stopHogs(hogs: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    hogs.map(async (hog) => {
      if (hog.exitCode !== null || hog.signalCode !== null) return;
      const exited = once(hog, 'exit');
      hog.kill('SIGKILL');
      await exited;
    }),
  );
}

let running: ChildProcess | undefined;

/** One Vitest run of the suite, its JSON report read back for the failures. */
async function runSuite(run: number, vitestArgs: readonly string[]): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'certops-stress-'));
  const reportFile = join(dir, 'report.json');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--reporter=dot',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
      ...vitestArgs,
    ],
    // Its own process group, so that stopping the script stops Vitest's workers and the servers
    // the tests started, not only Vitest's main process.
    { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  running = child;
  const [code] = (await once(child, 'exit')) as [number | null];
  running = undefined;
  const seconds = (performance.now() - started) / 1000;
  const load = loadavg()[0] ?? 0;
  const failures: string[] = [];
  let tests = 0;
  try {
    const report = VitestReport.parse(JSON.parse(await readFile(reportFile, 'utf8')));
    tests = report.numTotalTests;
    for (const file of report.testResults) {
      const relative = file.name.replace(`${process.cwd()}/`, '');
      if (file.status === 'failed' && file.assertionResults.length === 0)
        failures.push(`${relative}: ${firstLine(file.message ?? 'failed to run')}`);
      for (const test of file.assertionResults) {
        if (test.status !== 'failed') continue;
        failures.push(
          `${relative} › ${test.fullName}: ${firstLine(test.failureMessages?.[0] ?? '')}`,
        );
      }
    }
  } catch (error) {
    failures.push(`no readable Vitest report (${String(error)})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (code !== 0 && failures.length === 0) failures.push(`vitest exited with ${code}`);
  return { run, green: code === 0 && failures.length === 0, seconds, load, tests, failures };
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 300);
}

function table(results: readonly RunResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.run} | ${r.green ? 'green' : `**red** (${r.failures.length})`} | ${r.tests} | ${r.seconds.toFixed(0)} s | ${r.load.toFixed(1)} |`,
  );
  return ['| run | result | tests | wall | load (1 min) |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      streak: { type: 'string' },
      'max-runs': { type: 'string' },
      hogs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const streakGoal = Math.max(1, positive(values.streak, 10, 'streak'));
  const maxRuns = positive(values['max-runs'], 25, 'max-runs');
  const hogCount = positive(values.hogs, availableParallelism(), 'hogs');

  const hogs = startHogs(hogCount);
  const stop = () => {
    for (const hog of hogs) hog.kill('SIGKILL');
    const child = running;
    if (!child?.pid) process.exit(130);
    const group = -child.pid;
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(group, name);
      } catch {
        // Gone already.
      }
    };
    signal('SIGTERM');
    // Vitest stops its workers on SIGTERM; whatever is left after 5 s is killed.
    const force = setTimeout(() => signal('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      signal('SIGKILL');
      process.exit(130);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const results: RunResult[] = [];
  let streak = 0;
  try {
    for (let run = 1; run <= maxRuns && streak < streakGoal; run++) {
      console.error(`\n==> stress run ${run} (${hogCount} CPU hogs; green in a row: ${streak})`);
      const result = await runSuite(run, positionals);
      results.push(result);
      streak = result.green ? streak + 1 : 0;
      console.error(
        `==> run ${run}: ${result.green ? 'green' : 'RED'} in ${result.seconds.toFixed(0)} s, load ${result.load.toFixed(1)}`,
      );
      for (const failure of result.failures) console.error(`    ✗ ${failure}`);
    }
  } finally {
    await stopHogs(hogs);
  }

  const out = [
    '',
    `## test:stress: ${hogCount} CPU hogs on ${availableParallelism()} cores`,
    '',
    table(results),
    '',
    ...results.flatMap((r) => r.failures.map((f) => `- run ${r.run}: ${f}`)),
    '',
    streak >= streakGoal
      ? `${streakGoal} green runs in a row.`
      : `Stopped after ${results.length} runs without ${streakGoal} green in a row.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return streak >= streakGoal ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
