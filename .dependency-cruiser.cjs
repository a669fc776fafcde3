/**
 * CertOps's layering, checked by `npm run lint:layers` (part of `npm test`). Type-only imports
 * count: a port's type pulled from an adapter is the dependency these rules are about.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain core knows nothing of the project beyond itself.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'usecases-inward-only',
      comment:
        'Use cases see the domain and their own ports; adapters implement the ports. src/x509 is ' +
        'tolerated: a pure PEM parser (node:crypto and the domain only, see x509-is-pure) being ' +
        'rewritten on its own, whose home is decided then.',
      severity: 'error',
      from: { path: '^src/usecases/' },
      to: { path: '^src/', pathNot: '^src/(domain|usecases|x509)/' },
    },
    {
      name: 'x509-is-pure',
      comment: 'What the use cases may take from src/x509 brings no adapter with it.',
      severity: 'error',
      from: { path: '^src/x509/' },
      to: { path: '^src/', pathNot: '^src/(domain|x509)/' },
    },
    {
      name: 'jobs-not-slack',
      comment:
        'Jobs deliver through the delivery port (usecases/ports/delivery.ts), which src/slack implements.',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/slack/' },
    },
    {
      name: 'bolt-stays-in-slack',
      comment:
        'Slack libraries (Bolt and its Logger, the Web API client) are used in src/slack only; the ' +
        'composition root and the demo shell wire them. Elsewhere logging is usecases/ports/logger.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(slack/|try/|certops\\.ts$)' },
      to: { path: 'node_modules/@slack/' },
    },
    {
      name: 'no-folder-cycles',
      comment: 'The folders under src/ depend on each other one way only.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+' },
      to: { path: '^src/[^/]+', circular: true },
    },
    {
      name: 'tools-stay-out',
      comment:
        'The developer tools (tools/try, tools/bench) may use the product; the product never uses them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^tools/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
