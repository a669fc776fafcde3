import type { Logger } from '@slack/bolt';
import type { AcmeConfig } from '../config.js';
import type { CaProvider } from './ports.js';

/** ACME (RFC 8555) with DNS-01 as chat-ops. Being built: start-up refuses a route to it. */
export function createAcmeProvider(_config: AcmeConfig, _logger: Logger): CaProvider {
  throw new Error('the acme provider is not available yet');
}
