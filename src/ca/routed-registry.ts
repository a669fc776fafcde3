import type { Certificate } from '../domain/certificate.js';
import { normalizeLabel } from '../domain/spec.js';
import type { CaProvider, CaRegistry } from '../usecases/ports/index.js';

/** `brand -> provider name`; the brand `*` catches the rest. From CERTOPS_CA_ROUTES. */
export type CaRoutes = Readonly<Record<string, string>>;

/**
 * Routes each certificate to its CA by brand (case- and space-insensitive): e.g. Let's Encrypt
 * to ACME, DigiCert to Alibaba Cloud CAS, everything else to the manual provider.
 */
export function routedRegistry(routes: CaRoutes, providers: readonly CaProvider[]): CaRegistry {
  const byName = new Map(providers.map((p) => [p.name, p]));
  const table = new Map<string, CaProvider>();
  for (const [brand, name] of Object.entries(routes)) {
    const provider = byName.get(name);
    if (!provider)
      throw new Error(`CERTOPS_CA_ROUTES sends ${brand} to ${name}, which is not configured`);
    table.set(brand === '*' ? '*' : normalizeLabel(brand), provider);
  }
  const fallback = table.get('*') ?? byName.get('manual');
  const routed = new Map([...table.values()].map((p) => [p.name, p]));
  return {
    routed: (name) => routed.get(name),
    providerFor(certificate: Pick<Certificate, 'spec'>): CaProvider {
      const provider = table.get(normalizeLabel(certificate.spec.brand)) ?? fallback;
      if (!provider) throw new Error(`no CA provider for brand ${certificate.spec.brand}`);
      return provider;
    },
  };
}
