import type { Logger } from '@slack/bolt';
import type { AlibabaCasConfig } from '../config.js';
import type { CaProvider } from './ports.js';

/** Alibaba Cloud Certificate Management Service. Being built: start-up refuses a route to it. */
export function createAlibabaCasProvider(_config: AlibabaCasConfig, _logger: Logger): CaProvider {
  throw new Error('the alibaba-cas provider is not available yet');
}
