import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { ValidationType } from '../../src/domain/spec.js';

/**
 * Certificates for the demo data, made at seed time: the issued and uploaded demo certificates
 * need real PEMs (the use cases check them) with validity dates chosen relative to the demo
 * clock, which no shipped fixture can have. A throwaway demo CA signs them; its key and the
 * leaves' keys live in memory only and are never returned.
 */

export interface DemoLeaf {
  readonly names: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Written as the CA/B Forum policy OID, so an upload can tell its validation type. */
  readonly validationType: ValidationType;
}

export interface DemoCa {
  /** The leaf followed by the demo CA certificate, PEM. */
  issue(leaf: DemoLeaf): Promise<string>;
}

export const DEMO_CA_NAME = 'CertOps Demo CA';
export const DEMO_CA_ORGANIZATION = 'CertOps Demo';

const POLICY_OID: Readonly<Record<ValidationType, string>> = {
  DV: '2.23.140.1.2.1',
  OV: '2.23.140.1.2.2',
  EV: '2.23.140.1.1',
};

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
// The library types its provider with the DOM's Crypto; Node's webcrypto is that at run time.
const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1];

/** A CA valid over [validFrom, validTo], which must span every leaf it issues. */
export async function createDemoCa(validFrom: Date, validTo: Date): Promise<DemoCa> {
  const keys = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const caName = `CN=${DEMO_CA_NAME}, O=${DEMO_CA_ORGANIZATION}`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumber(),
      name: caName,
      notBefore: validFrom,
      notAfter: validTo,
      signingAlgorithm: ECDSA_P256,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
      ],
    },
    crypto,
  );
  const caPem = `${ca.toString('pem')}\n`;
  return {
    async issue(leaf) {
      const leafKeys = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
      const [first = 'demo.invalid'] = leaf.names;
      const cert = await x509.X509CertificateGenerator.create(
        {
          serialNumber: serialNumber(),
          subject: `CN=${first}, O=${DEMO_CA_ORGANIZATION}`,
          issuer: ca.subject,
          notBefore: leaf.notBefore,
          notAfter: leaf.notAfter,
          signingAlgorithm: ECDSA_P256,
          publicKey: leafKeys.publicKey,
          signingKey: keys.privateKey,
          extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
            new x509.SubjectAlternativeNameExtension(
              leaf.names.map((value) => ({ type: 'dns' as const, value })),
            ),
            new x509.CertificatePolicyExtension([POLICY_OID[leaf.validationType]]),
          ],
        },
        crypto,
      );
      return `${cert.toString('pem')}\n${caPem}`;
    },
  };
}

/** Positive and non-zero, 16 bytes, hex (RFC 5280 4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}
