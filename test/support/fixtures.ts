import type { Application } from '../../src/domain/application.js';
import type { Certificate } from '../../src/domain/certificate.js';
import type { Contact } from '../../src/domain/contact.js';

const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);

export function certificate(overrides: Partial<Certificate> = {}): Certificate {
  return {
    id: 'c1',
    name: 'shop OV',
    spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'single', grade: 'standard' },
    validityYears: 1,
    domainQuota: 1,
    state: 'pending_application',
    source: 'purchased',
    domains: [],
    team: 'web',
    ownerUserId: 'U_OWNER',
    hosted: false,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function application(overrides: Partial<Application> = {}): Application {
  return {
    id: 'a1',
    kind: 'apply',
    certificateId: 'c1',
    requesterId: 'U_REQ',
    team: 'web',
    status: 'awaiting_approval',
    domains: ['shop.example.com'],
    validationMethod: 'dns',
    hosting: false,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function contact(overrides: Partial<Contact> = {}): Contact {
  return {
    id: 'p1',
    name: 'Li Lei',
    email: 'li.lei@example.com',
    phone: '+8613800000000',
    team: 'web',
    createdBy: 'U_REQ',
    createdAt: T0,
    ...overrides,
  };
}

export const note = (action: string, actor = 'U_ACTOR', at = T0 + 1000) => ({ action, actor, at });
