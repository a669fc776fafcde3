import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  type Config,
  ConfigError,
  loadConfig,
  parseConfig,
  redactConfig,
  redactRedisUrl,
} from '../src/config.js';

// Recognizable secrets: no error line or log output may ever contain SEKRIT.
const BOT_TOKEN = 'xoxb-1111-2222-SEKRITbot';
const SIGNING_SECRET = 'a1b2c3d4e5f6SEKRIT0123456789abcd';
const APP_TOKEN = 'xapp-1-A111-SEKRITapp';

const minimal = {
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  CERTOPS_APPROVERS: 'U012AB3CD',
  CERTOPS_APPROVAL_CHANNEL: 'C0APPROVE',
  CERTOPS_SUPPORT_CHANNEL: 'C0SUPPORT',
} as const;

function parsed(env: Record<string, string | undefined>): Config {
  const result = parseConfig(env);
  if (!result.ok) throw new Error(`unexpected errors:\n${result.errors.join('\n')}`);
  return result.config;
}

function errorsOf(env: Record<string, string | undefined>): string[] {
  const result = parseConfig(env);
  if (result.ok) throw new Error('expected configuration errors');
  return result.errors;
}

describe('certificate authorities', () => {
  it('routes brands to providers and needs the settings of every provider it routes to', () => {
    const routed = parseConfig({
      ...minimal,
      CERTOPS_CA_ROUTES: "Let's Encrypt=acme; DigiCert = alibaba-cas; *=manual",
      CERTOPS_ACME_DIRECTORY_URL: 'https://127.0.0.1:14000/dir',
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tAbCdEfGh12',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SEKRITaliyunsecret0123456789',
      CERTOPS_ALIBABA_PRODUCT_CODES: 'DigiCert/OV/single/standard=digicert-ov-1-personal',
    });
    expect(routed.ok && routed.config.ca.routes).toEqual({
      "Let's Encrypt": 'acme',
      DigiCert: 'alibaba-cas',
      '*': 'manual',
    });
    expect(routed.ok && routed.config.ca.acme?.keyDir).toBe(join('.certops', 'acme-keys'));
    // The keys follow the data folder unless their own folder is set.
    const moved = (extra: Record<string, string>) =>
      parseConfig({
        ...minimal,
        CERTOPS_ACME_DIRECTORY_URL: 'https://127.0.0.1:14000/dir',
        CERTOPS_DATA_DIR: '/var/lib/certops',
        ...extra,
      });
    const inData = moved({});
    expect(inData.ok && inData.config.ca.acme?.keyDir).toBe('/var/lib/certops/acme-keys');
    const own = moved({ CERTOPS_ACME_KEY_DIR: '/srv/keys' });
    expect(own.ok && own.config.ca.acme?.keyDir).toBe('/srv/keys');
    expect(routed.ok && routed.config.ca.alibaba?.productCodes).toEqual({
      'digicert/OV/single/standard': 'digicert-ov-1-personal',
    });
    expect(routed.ok && JSON.stringify(redactConfig(routed.config))).not.toContain('SEKRIT');
    expect(routed.ok && JSON.stringify(redactConfig(routed.config))).not.toContain('LTAI5t');

    const missing = parseConfig({ ...minimal, CERTOPS_CA_ROUTES: 'X=acme; Y=alibaba-cas' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.errors.map((e) => e.split(' ')[0])).toEqual([
        'CERTOPS_ACME_DIRECTORY_URL',
        'ALIBABA_CLOUD_ACCESS_KEY_ID',
        'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      ]);
    }
    const bad = parseConfig({
      ...minimal,
      CERTOPS_CA_ROUTES: 'X=letsencrypt',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SEKRIT!',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.join('\n')).toContain(
        '"X=letsencrypt" is not brand=manual|acme|alibaba-cas',
      );
      expect(bad.errors.join('\n')).not.toContain('SEKRIT');
    }
  });
});

describe('CERTOPS_ALIBABA_PRODUCT_CODES', () => {
  const alibaba = (codes: string) => ({
    ...minimal,
    CERTOPS_CA_ROUTES: 'DigiCert=alibaba-cas',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tAbCdEfGh12',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'SEKRITaliyunsecret0123456789',
    CERTOPS_ALIBABA_PRODUCT_CODES: codes,
  });

  it('keys each product code by brand, type, domain type and grade', () => {
    const config = parsed(
      alibaba(
        'DigiCert/OV/single/standard=digicert-ov-1-personal; digicert /ov/single/ Pro  Plus =digicert-ov-1-pro; GeoTrust/DV/wildcard/Standard=geotrust-dv-w',
      ),
    );
    // Grade and brand are matched as specs compare them: case and spaces do not count.
    expect(config.ca.alibaba?.productCodes).toEqual({
      'digicert/OV/single/standard': 'digicert-ov-1-personal',
      'digicert/OV/single/pro plus': 'digicert-ov-1-pro',
      'geotrust/DV/wildcard/standard': 'geotrust-dv-w',
    });
  });

  it('refuses a key without a grade, showing the form to write instead', () => {
    const errors = errorsOf(
      alibaba('DigiCert/OV/single=digicert-ov-1-personal; GeoTrust/DV/wildcard/=geotrust-dv-w'),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^CERTOPS_ALIBABA_PRODUCT_CODES is "/);
    expect(errors[0]).toContain(
      '"DigiCert/OV/single=digicert-ov-1-personal" has no grade: add it, like DigiCert/OV/single/standard=digicert-ov-1-personal',
    );
    expect(errors[0]).toContain(
      '"GeoTrust/DV/wildcard/=geotrust-dv-w" has no grade: add it, like GeoTrust/DV/wildcard/standard=geotrust-dv-w',
    );
    expect(errors[0]).not.toContain('SEKRIT');
  });

  it('refuses one spec given two codes, even spelled differently', () => {
    const [error] = errorsOf(
      alibaba('DigiCert/OV/single/standard=code-a; digicert/OV/single/STANDARD=code-b'),
    );
    expect(error).toContain('digicert/OV/single/STANDARD is given twice (code-a and code-b)');
  });
});

describe('CERTOPS_TEAMS', () => {
  it('maps users to teams and reports bad entries on one line', () => {
    const good = parseConfig({ ...minimal, CERTOPS_TEAMS: 'web=U0AAA,U0BBB; Payments = U0CCC' });
    expect(good.ok && good.config.teams.memberOf).toEqual({
      U0AAA: 'web',
      U0BBB: 'web',
      U0CCC: 'payments',
    });
    const bad = parseConfig({ ...minimal, CERTOPS_TEAMS: 'web=U0AAA,bob; pay=U0AAA; =x' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors).toHaveLength(1);
      expect(bad.errors[0]).toContain('CERTOPS_TEAMS is "web=U0AAA,bob; pay=U0AAA; =x"');
      expect(bad.errors[0]).toContain('"bob" is not a user ID');
      expect(bad.errors[0]).toContain('U0AAA is in web and pay');
    }
  });
});

describe('parseConfig', () => {
  it('fills the documented defaults around a minimal environment', () => {
    expect(parsed(minimal)).toEqual({
      slack: {
        mode: 'http',
        botToken: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        appToken: undefined,
        apiUrl: 'https://slack.com/api/',
      },
      http: { port: 3000, maxInFlight: 200, loadingViewAfterMs: 1000 },
      redis: { url: 'redis://127.0.0.1:6379', urlGiven: false, keyPrefix: 'certops' },
      queue: { prefix: 'certops-queue' },
      dataDir: '.certops',
      approvals: { approvers: ['U012AB3CD'], admins: [], channel: 'C0APPROVE' },
      support: { channel: 'C0SUPPORT' },
      teams: { memberOf: {} },
      calendar: { timezone: 'Asia/Shanghai', region: 'CN', file: undefined },
      expiry: { reminderDays: [30, 14, 7, 3, 1], checkTime: { hour: 9, minute: 0 } },
      jobs: { lockSeconds: 30, slackOutageMaxBackoffSeconds: 300 },
      ca: { routes: { '*': 'manual' }, acme: undefined, alibaba: undefined },
      role: 'all',
      logLevel: 'info',
    } satisfies Config);
  });

  it('normalizes what it can read unambiguously', () => {
    const config = parsed({
      ...minimal,
      SLACK_API_URL: 'http://localhost:8080/api',
      PORT: ' 8080 ',
      REDIS_URL: 'rediss://:pw@redis.example:6380/2',
      CERTOPS_APPROVERS: 'U012AB3CD, W0ABC\tU012AB3CD,,',
      CERTOPS_ADMINS: 'U0ADMIN1 U0ADMIN2',
      CERTOPS_TIMEZONE: 'europe/berlin',
      CERTOPS_BUSINESS_REGION: 'de-by',
      CERTOPS_CALENDAR_FILE: './calendar.json',
      CERTOPS_ROLE: 'Worker',
      CERTOPS_EXPIRY_REMINDER_DAYS: '1, 60,7',
      CERTOPS_EXPIRY_CHECK_TIME: '7:05',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config.slack.apiUrl).toBe('http://localhost:8080/api/');
    expect(config.http.port).toBe(8080);
    expect(config.redis).toEqual({
      url: 'rediss://:pw@redis.example:6380/2',
      urlGiven: true,
      keyPrefix: 'certops',
    });
    expect(config.approvals.approvers).toEqual(['U012AB3CD', 'W0ABC']);
    expect(config.approvals.admins).toEqual(['U0ADMIN1', 'U0ADMIN2']);
    expect(config.calendar).toEqual({
      timezone: 'Europe/Berlin',
      region: 'DE-BY',
      file: './calendar.json',
    });
    expect(config.role).toBe('worker');
    expect(config.expiry).toEqual({ reminderDays: [60, 7, 1], checkTime: { hour: 7, minute: 5 } });
    expect(config.logLevel).toBe('debug');
  });

  it('treats empty and blank strings as unset', () => {
    const config = parsed({ ...minimal, PORT: '', REDIS_URL: '  ', CERTOPS_ADMINS: '' });
    expect(config.http.port).toBe(3000);
    expect(config.redis.urlGiven).toBe(false);
    expect(config.approvals.admins).toEqual([]);
  });

  it('makes the signing secret optional in Socket Mode', () => {
    const config = parsed({
      ...minimal,
      SLACK_SIGNING_SECRET: undefined,
      SLACK_APP_TOKEN: APP_TOKEN,
    });
    expect(config.slack).toEqual({
      mode: 'socket',
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      signingSecret: undefined,
      apiUrl: 'https://slack.com/api/',
    });
  });

  it.each([
    [
      'SLACK_BOT_TOKEN',
      undefined,
      'SLACK_BOT_TOKEN is missing: expected a bot token starting with xoxb-',
    ],
    [
      'SLACK_BOT_TOKEN',
      'xapp-1-A111-SEKRIT',
      'SLACK_BOT_TOKEN is a token starting with xapp- (value hidden): expected a bot token starting with xoxb-',
    ],
    [
      'SLACK_BOT_TOKEN',
      'SEKRIT',
      'SLACK_BOT_TOKEN is set (value hidden): expected a bot token starting with xoxb-',
    ],
    [
      'SLACK_SIGNING_SECRET',
      undefined,
      "SLACK_SIGNING_SECRET is missing: expected the app's signing secret (16 or more letters and digits, from Basic Information → App Credentials), required unless SLACK_APP_TOKEN is set",
    ],
    [
      'SLACK_SIGNING_SECRET',
      'SEKRIT-short',
      "SLACK_SIGNING_SECRET is set (value hidden): expected the app's signing secret (16 or more letters and digits, from Basic Information → App Credentials), required unless SLACK_APP_TOKEN is set",
    ],
    [
      'SLACK_APP_TOKEN',
      'xoxb-SEKRIT',
      'SLACK_APP_TOKEN is a token starting with xoxb- (value hidden): expected an app-level token starting with xapp- (only for Socket Mode)',
    ],
    [
      'SLACK_API_URL',
      'slack.com/api',
      'SLACK_API_URL is "slack.com/api": expected an http(s) URL of the Slack Web API without query or fragment, like https://slack.com/api/',
    ],
    [
      'SLACK_API_URL',
      'https://slack.com/api?x=1',
      'SLACK_API_URL is "https://slack.com/api?x=1": expected an http(s) URL of the Slack Web API without query or fragment, like https://slack.com/api/',
    ],
    ['PORT', 'abc', 'PORT is "abc": expected a whole number from 0 to 65535 (0 picks a free port)'],
    ['PORT', '-1', 'PORT is "-1": expected a whole number from 0 to 65535 (0 picks a free port)'],
    [
      'PORT',
      '65536',
      'PORT is "65536": expected a whole number from 0 to 65535 (0 picks a free port)',
    ],
    [
      'PORT',
      '80.5',
      'PORT is "80.5": expected a whole number from 0 to 65535 (0 picks a free port)',
    ],
    [
      'REDIS_URL',
      'http://127.0.0.1:6379',
      'REDIS_URL is "http://127.0.0.1:6379": expected a redis:// or rediss:// URL with a host, like redis://127.0.0.1:6379',
    ],
    [
      'REDIS_URL',
      'redis://:SEKRIT@',
      'REDIS_URL is "redis://:***@": expected a redis:// or rediss:// URL with a host, like redis://127.0.0.1:6379',
    ],
    [
      'REDIS_URL',
      'redis:///0',
      'REDIS_URL is "redis:///0": expected a redis:// or rediss:// URL with a host, like redis://127.0.0.1:6379 (no host)',
    ],
    [
      'REDIS_URL',
      'redis://:SEKRIT@host:6379/queue',
      'REDIS_URL is "redis://:***@host:6379/queue": expected a redis:// or rediss:// URL with a host, like redis://127.0.0.1:6379 (the path may only be a database number, like /0)',
    ],
    [
      'CERTOPS_KEY_PREFIX',
      'cert:ops',
      'CERTOPS_KEY_PREFIX is "cert:ops": expected 1 to 32 letters, digits, _ or -',
    ],
    [
      'CERTOPS_KEY_PREFIX',
      'x'.repeat(33),
      `CERTOPS_KEY_PREFIX is "${'x'.repeat(33)}": expected 1 to 32 letters, digits, _ or -`,
    ],
    [
      'CERTOPS_KEY_PREFIX',
      'certops-queue',
      'CERTOPS_KEY_PREFIX is "certops-queue": expected 1 to 32 letters, digits, _ or - (it equals the default CERTOPS_QUEUE_PREFIX)',
    ],
    [
      'CERTOPS_QUEUE_PREFIX',
      'certops',
      'CERTOPS_QUEUE_PREFIX is "certops": expected 1 to 32 letters, digits, _ or -, different from CERTOPS_KEY_PREFIX (it equals the default CERTOPS_KEY_PREFIX)',
    ],
    [
      'CERTOPS_QUEUE_PREFIX',
      'bull queue',
      'CERTOPS_QUEUE_PREFIX is "bull queue": expected 1 to 32 letters, digits, _ or -, different from CERTOPS_KEY_PREFIX',
    ],
    [
      'CERTOPS_APPROVERS',
      undefined,
      'CERTOPS_APPROVERS is missing: expected at least one Slack user ID (U… or W…, upper-case letters and digits), separated by commas or spaces',
    ],
    [
      'CERTOPS_APPROVERS',
      ' , ',
      'CERTOPS_APPROVERS is ",": expected at least one Slack user ID (U… or W…, upper-case letters and digits), separated by commas or spaces',
    ],
    [
      'CERTOPS_APPROVERS',
      'U012AB3CD, @alice, u0lower',
      'CERTOPS_APPROVERS is "U012AB3CD, @alice, u0lower": expected at least one Slack user ID (U… or W…, upper-case letters and digits), separated by commas or spaces ("@alice" is not a user ID; "u0lower" is not a user ID)',
    ],
    [
      'CERTOPS_ADMINS',
      'C0CHANNEL',
      'CERTOPS_ADMINS is "C0CHANNEL": expected Slack user IDs (U… or W…, upper-case letters and digits), separated by commas or spaces ("C0CHANNEL" is not a user ID)',
    ],
    [
      'CERTOPS_APPROVAL_CHANNEL',
      undefined,
      'CERTOPS_APPROVAL_CHANNEL is missing: expected a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
    ],
    [
      'CERTOPS_APPROVAL_CHANNEL',
      '#cert-approvals',
      'CERTOPS_APPROVAL_CHANNEL is "#cert-approvals": expected a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
    ],
    [
      'CERTOPS_SUPPORT_CHANNEL',
      'D0DIRECT',
      'CERTOPS_SUPPORT_CHANNEL is "D0DIRECT": expected a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
    ],
    [
      'CERTOPS_TIMEZONE',
      'Asia/Beijing',
      'CERTOPS_TIMEZONE is "Asia/Beijing": expected an IANA time zone, like Asia/Shanghai or Europe/Berlin',
    ],
    [
      'CERTOPS_TIMEZONE',
      '+08:00',
      'CERTOPS_TIMEZONE is "+08:00": expected an IANA time zone, like Asia/Shanghai or Europe/Berlin',
    ],
    [
      'CERTOPS_BUSINESS_REGION',
      'China',
      'CERTOPS_BUSINESS_REGION is "China": expected CN or another ISO 3166 country code, optionally with a subdivision, like US or DE-BY',
    ],
    [
      'CERTOPS_BUSINESS_REGION',
      'QQ',
      'CERTOPS_BUSINESS_REGION is "QQ": expected CN or another ISO 3166 country code, optionally with a subdivision, like US or DE-BY (QQ is not a country code)',
    ],
    [
      'CERTOPS_BUSINESS_REGION',
      'UK',
      'CERTOPS_BUSINESS_REGION is "UK": expected CN or another ISO 3166 country code, optionally with a subdivision, like US or DE-BY (use GB for the United Kingdom)',
    ],
    [
      'CERTOPS_CALENDAR_FILE',
      'calendar\n.json',
      'CERTOPS_CALENDAR_FILE is "calendar\\n.json": expected a path to a JSON file of holiday and working-day overrides',
    ],
    [
      'CERTOPS_DATA_DIR',
      'data\tdir',
      'CERTOPS_DATA_DIR is "data\\tdir": expected a folder for local files, like .certops (the embedded Redis keeps its data in its redis/ subfolder)',
    ],
    ['CERTOPS_ROLE', 'both', 'CERTOPS_ROLE is "both": expected web, worker or all'],
    [
      'CERTOPS_EXPIRY_REMINDER_DAYS',
      '30,14,14,0,x,366',
      'CERTOPS_EXPIRY_REMINDER_DAYS is "30,14,14,0,x,366": expected a comma-separated list of distinct whole days from 1 to 365, like 30,14,7,3,1 (14 is listed twice; "0" is not a day count; "x" is not a day count; "366" is not a day count)',
    ],
    [
      'CERTOPS_EXPIRY_REMINDER_DAYS',
      '30,',
      'CERTOPS_EXPIRY_REMINDER_DAYS is "30,": expected a comma-separated list of distinct whole days from 1 to 365, like 30,14,7,3,1 ("" is not a day count)',
    ],
    [
      'CERTOPS_EXPIRY_CHECK_TIME',
      '24:00',
      'CERTOPS_EXPIRY_CHECK_TIME is "24:00": expected a 24-hour time HH:MM, like 09:00',
    ],
    [
      'CERTOPS_EXPIRY_CHECK_TIME',
      '9am',
      'CERTOPS_EXPIRY_CHECK_TIME is "9am": expected a 24-hour time HH:MM, like 09:00',
    ],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL is "verbose": expected debug, info, warn or error'],
  ])('%s=%j gives one clear line', (name, value, line) => {
    expect(errorsOf({ ...minimal, [name]: value })).toEqual([line]);
  });

  it('reports every bad variable at once, in README order', () => {
    const errors = errorsOf({
      LOG_LEVEL: 'loud',
      PORT: 'abc',
      SLACK_BOT_TOKEN: 'nope',
      CERTOPS_APPROVERS: 'U012AB3CD',
      CERTOPS_APPROVAL_CHANNEL: 'C0APPROVE',
      CERTOPS_SUPPORT_CHANNEL: 'general',
      CERTOPS_APROVERS: 'U012AB3CD',
    });
    expect(errors.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'PORT',
      'CERTOPS_SUPPORT_CHANNEL',
      'LOG_LEVEL',
      'CERTOPS_APROVERS',
    ]);
    for (const line of errors) expect(line).not.toContain('\n');
  });

  it('suggests the closest known name for an unknown CERTOPS_ variable', () => {
    expect(
      errorsOf({
        ...minimal,
        CERTOPS_APROVERS: 'U012AB3CD',
        certops_timezon: 'x', // not CERTOPS_ in upper case: other software's business
        CERTOPS_TIMEZON: 'UTC',
        CERTOPS_WHATEVER: 'x',
        CERTOPS_UNUSED: '',
      }),
    ).toEqual([
      'CERTOPS_APROVERS is not a known setting; did you mean CERTOPS_APPROVERS?',
      'CERTOPS_TIMEZON is not a known setting; did you mean CERTOPS_TIMEZONE?',
      'CERTOPS_WHATEVER is not a known setting; the CERTOPS_ settings are listed in README.md (Configuration)',
    ]);
  });

  it('never shows a secret in an error line', () => {
    const errors = errorsOf({
      SLACK_BOT_TOKEN: 'xoxb-SEKRIT with spaces',
      SLACK_SIGNING_SECRET: 'SEKRIT!',
      SLACK_APP_TOKEN: 'xapp-SEKRIT!',
      REDIS_URL: 'redis://admin:SEKRIT@cache:6379/not-a-db',
      CERTOPS_APPROVERS: 'U012AB3CD',
      CERTOPS_APPROVAL_CHANNEL: 'C0APPROVE',
      CERTOPS_SUPPORT_CHANNEL: 'C0SUPPORT',
    });
    expect(errors).toHaveLength(4);
    expect(errors.join('\n')).not.toContain('SEKRIT');
    expect(errors[3]).toContain('"redis://admin:***@cache:6379/not-a-db"');
  });
});

describe('redaction', () => {
  it('redactConfig hides tokens, the signing secret and the Redis password', () => {
    const config = parsed({
      ...minimal,
      SLACK_APP_TOKEN: APP_TOKEN,
      REDIS_URL: 'redis://default:SEKRITpw@redis:6379/0',
    });
    const redacted = redactConfig(config);
    expect(JSON.stringify(redacted)).not.toContain('SEKRIT');
    expect(redacted.slack).toMatchObject({
      botToken: '***',
      appToken: '***',
      signingSecret: '***',
    });
    expect(redacted.redis.url).toBe('redis://default:***@redis:6379/0');
    expect(redacted.approvals).toEqual(config.approvals);
    // The original is untouched.
    expect(config.slack.botToken).toBe(BOT_TOKEN);
  });

  it('redactConfig keeps an unset signing secret unset', () => {
    const config = parsed({ ...minimal, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: APP_TOKEN });
    expect(redactConfig(config).slack.signingSecret).toBeUndefined();
  });

  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:pw@host:6379', 'redis://:***@host:6379'],
    ['redis://user:p@ss/w:rd@host', 'redis://user:***@host'],
    ['redis://misplaced-password@host', 'redis://***@host'],
    ['redis://host:6379?password=pw&db=1', 'redis://host:6379?password=***&db=1'],
  ])('redactRedisUrl(%j) is %j', (url, expected) => {
    expect(redactRedisUrl(url)).toBe(expected);
  });
});

describe('loadConfig', () => {
  const dirs: string[] = [];
  const added: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const name of added.splice(0)) delete process.env[name];
  });

  function envFile(content: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'certops-config-'));
    dirs.push(dir);
    const file = join(dir, '.env');
    writeFileSync(file, content);
    return file;
  }

  const fileContent = [
    '# CertOps',
    `SLACK_BOT_TOKEN=${BOT_TOKEN}`,
    `SLACK_SIGNING_SECRET="${SIGNING_SECRET}"`,
    'CERTOPS_APPROVERS=U012AB3CD',
    'CERTOPS_APPROVAL_CHANNEL=C0APPROVE',
    'CERTOPS_SUPPORT_CHANNEL=C0SUPPORT',
    'PORT=4000',
  ].join('\n');

  it('reads .env, and variables already in the environment win', () => {
    const env = { PORT: '5000' };
    const config = loadConfig({ envFile: envFile(fileContent), env });
    expect(config.http.port).toBe(5000);
    expect(config.slack.botToken).toBe(BOT_TOKEN);
    expect(config.slack.signingSecret).toBe(SIGNING_SECRET);
    expect(env).toEqual({ PORT: '5000' });
  });

  it('is fine without a .env file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certops-config-'));
    dirs.push(dir);
    const config = loadConfig({ envFile: join(dir, '.env'), env: { ...minimal } });
    expect(config.http.port).toBe(3000);
  });

  // Only where the real environment does not already hold these names (it wins over the file).
  const preset = Object.keys(minimal).some((name) => process.env[name] !== undefined);
  it.skipIf(preset)('loads .env into process.env when no env is given', () => {
    const file = envFile(fileContent);
    const before = new Set(Object.keys(process.env));
    const config = loadConfig({ envFile: file });
    added.push(...Object.keys(process.env).filter((name) => !before.has(name)));
    expect(config.approvals.channel).toBe('C0APPROVE');
    expect(process.env.CERTOPS_APPROVAL_CHANNEL).toBe('C0APPROVE');
  });

  it('throws a ConfigError listing every problem, without secrets', () => {
    const file = envFile(`SLACK_BOT_TOKEN=SEKRIT-not-a-token\nPORT=abc\n`);
    let error: unknown;
    try {
      loadConfig({ envFile: file, env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, errors } = error as ConfigError;
    expect(message).toBe(errors.join('\n'));
    expect(errors.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'PORT',
      'CERTOPS_APPROVERS',
      'CERTOPS_APPROVAL_CHANNEL',
      'CERTOPS_SUPPORT_CHANNEL',
    ]);
    expect(message).not.toContain('SEKRIT');
  });

  it('names an unreadable .env without quoting it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certops-config-'));
    dirs.push(dir);
    expect(() => loadConfig({ envFile: dir, env: { ...minimal } })).toThrow(
      new ConfigError([`${dir} could not be read (EISDIR)`]),
    );
  });
});

describe('documentation', () => {
  it('lists every variable in the docs/configuration.md table and in .env.example', () => {
    const reference = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    for (const name of CONFIG_VARIABLES) {
      expect(reference, name).toMatch(new RegExp(`\\| \`${name}\`\\s+\\|`));
      expect(example, name).toMatch(new RegExp(`^#?\\s*${name}=`, 'm'));
    }
  });
});
