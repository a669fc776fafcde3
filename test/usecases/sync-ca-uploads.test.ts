import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaError, type CaUploadSource } from '../../src/usecases/ports/index.js';
import { syncCaUploads } from '../../src/usecases/sync-ca-uploads.js';
import { ADMIN, type Harness, harness, pem } from '../support/usecase-harness.js';

/** The CA's uploads as the port hands them over; a detail is a PEM or the error reading it. */
function fakeSource(details: Record<string, string | Error>): CaUploadSource {
  return {
    name: 'fake-ca',
    async uploadedCertificates({ max }) {
      return Object.keys(details)
        .slice(0, max)
        .map((certificateId) => ({ certificateId, name: `upload ${certificateId}` }));
    },
    async certificateDetail(certificateId) {
      const detail = details[certificateId];
      if (detail === undefined) throw new Error(`no upload ${certificateId}`);
      if (detail instanceof Error) throw detail;
      return { certificatePem: detail };
    },
  };
}

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe('syncCaUploads', () => {
  it('tracks new uploads, leaves one without a type to a person, skips one the CA could not hand over, once', async () => {
    const source = fakeSource({
      '1': pem('shop-ov-2126.pem'),
      '2': new CaError('fake-ca', 'throttled', true),
      '3': pem('no-policy-2126.pem'),
    });
    const first = await syncCaUploads(h.ctx, source, ADMIN);
    if (!first.ok) throw new Error(JSON.stringify(first.refusal));
    expect(first.value).toMatchObject({
      created: [{ casCertificateId: '1' }],
      known: 0,
      needsType: ['3'],
      skipped: [{ casCertificateId: '2', reason: 'throttled' }],
    });
    const cert = await h.ctx.store.certificates.get(first.value.created[0]?.certificateId ?? '');
    expect(cert).toMatchObject({ name: 'upload 1', ownerUserId: ADMIN, state: 'uploaded' });
    const second = await syncCaUploads(h.ctx, source, ADMIN);
    expect(second).toMatchObject({ ok: true, value: { created: [], known: 1 } });
  });

  it('stops at a refusal that every call would meet (credentials, permissions)', async () => {
    const source = fakeSource({ '1': new CaError('fake-ca', 'AccessKey refused', false) });
    expect(await syncCaUploads(h.ctx, source, ADMIN)).toEqual({
      ok: false,
      refusal: { code: 'ca.error', params: { provider: 'fake-ca', error: 'AccessKey refused' } },
    });
  });
});
