/**
 * The source guides' scenario as a fixture: viewer ⊂ editor ⊂ manager ⊂ admin over partners and
 * products, with the ERP field permissions (credit limit and VAT id for managers only, product
 * cost hidden from viewers and editors). The conformance cases and the unit tests share it.
 * @module
 */
import { definePolicy } from '../policy.js'

/** The ERP policy's config. */
export const erpConfig = {
  resources: {
    partner: {
      actions: ['read', 'create', 'update', 'delete'],
      fields: [
        'id',
        'name',
        'email',
        'phone',
        'website',
        'vatId',
        'creditLimit',
        'ownerId',
        'tenant',
        'address',
        'address.street',
        'address.city',
        'address.country',
        'contacts',
        'contacts.name',
        'contacts.email',
        'contacts.phone',
      ],
      owner: 'ownerId',
      tenant: 'tenant',
    },
    product: {
      actions: ['read', 'create', 'update', 'delete'],
      fields: ['id', 'name', 'price', 'cost', 'stock'],
    },
  },
  roles: {
    viewer: {
      grants: [
        { allow: 'partner:read', fields: ['*', '!creditLimit', '!vatId'] },
        { allow: 'product:read', fields: ['*', '!cost'] },
      ],
    },
    editor: {
      inherits: ['viewer'],
      grants: [
        { allow: 'partner:create', possession: 'own', fields: ['*', '!creditLimit', '!vatId'] },
        {
          allow: 'partner:update',
          possession: 'own',
          fields: ['*', '!creditLimit', '!vatId', '!id', '!tenant'],
        },
        'partner:delete:own',
      ],
    },
    manager: {
      inherits: ['editor'],
      grants: [
        'partner:read',
        'partner:create',
        { allow: 'partner:update', fields: ['*', '!id', '!tenant'] },
        'product:read',
        { allow: 'product:update', fields: ['*', '!id'] },
      ],
    },
    admin: { inherits: ['manager'], grants: ['*:*'] },
  },
} as const

/** The ERP policy, compiled. */
export function erpPolicy() {
  return definePolicy(erpConfig)
}

/** A partner record of the ERP fixture. */
export interface Partner {
  id: string
  name: string
  email: string
  phone: string
  website: string
  vatId: string
  creditLimit: number
  ownerId: string
  tenant: string
  address: { street: string; city: string; country: string } | null
  contacts: { name: string; email: string; phone: string }[]
}

/** Two partners of tenant `acme` (owned by alice and bob) and one of tenant `globex`. */
export function erpPartners(): Record<string, Partner> {
  const partner = (id: string, ownerId: string, tenant: string): Partner => ({
    id,
    name: `Partner ${id}`,
    email: `${id}@example.com`,
    phone: '+49 30 1234567',
    website: `https://${id}.example.com`,
    vatId: `DE${id.length}23456789`,
    creditLimit: 50_000,
    ownerId,
    tenant,
    address: { street: 'Hauptstraße 1', city: 'Berlin', country: 'DE' },
    contacts: [{ name: 'Ada', email: 'ada@example.com', phone: '+49 30 7654321' }],
  })
  return {
    p1: partner('p1', 'alice', 'acme'),
    p2: partner('p2', 'bob', 'acme'),
    g1: partner('g1', 'carol', 'globex'),
  }
}
