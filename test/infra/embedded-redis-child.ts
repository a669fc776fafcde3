import { connectOrStartRedis } from '../../src/infra/embedded-redis.js';

/**
 * A stand-in for a CertOps process in test/infra/embedded-redis.test.ts: starts the embedded
 * Redis for the folder and URL given as arguments, prints its URL as one JSON line, then waits
 * to be killed.
 */
const [dataDir, url] = process.argv.slice(2);
if (dataDir === undefined || url === undefined) throw new Error('usage: <dataDir> <url>');
const quiet = { info: () => undefined, warn: () => undefined };
const endpoint = await connectOrStartRedis({ url, urlGiven: false, dataDir, logger: quiet });
process.stdout.write(`${JSON.stringify({ url: endpoint.url })}\n`);
setInterval(() => undefined, 60_000);
