/**
 * The ports: what the use cases (and the jobs that run them) need from the world, which the
 * adapters implement (src/store, src/ca, src/jobs, src/slack, src/infra). Callers import them
 * from here; the files below import each other directly.
 */
export * from './alarms.js';
export * from './ca.js';
export * from './delivery.js';
export * from './events.js';
export * from './logger.js';
export * from './store.js';
