/**
 * Who may do what with partners: the source guides' roles (viewer ⊂ editor ⊂ manager ⊂ admin),
 * with the credit limit and VAT id (and a product's cost) visible and writable only to managers and admins, editors
 * changing only the partners they own.
 * @module
 */
import { definePolicy } from '@rampart/rbac'

const PUBLIC = ['*', '!creditLimit', '!vatId'] as const

/** The demo's policy, compiled once. */
export const demoPolicy = definePolicy({
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
      ],
      owner: 'ownerId',
      tenant: 'tenant',
    },
    product: {
      actions: ['read'],
      fields: ['id', 'name', 'sku', 'price', 'cost', 'tenant'],
      tenant: 'tenant',
    },
  },
  roles: {
    viewer: {
      grants: [
        { allow: 'partner:read', fields: [...PUBLIC] },
        { allow: 'product:read', fields: ['*', '!cost'] },
      ],
    },
    editor: {
      inherits: ['viewer'],
      grants: [
        { allow: 'partner:create', possession: 'own', fields: [...PUBLIC] },
        {
          allow: ['partner:update', 'partner:delete'],
          possession: 'own',
          fields: [...PUBLIC, '!id', '!ownerId', '!tenant'],
        },
      ],
    },
    manager: {
      inherits: ['editor'],
      grants: [
        'partner:read',
        'partner:create',
        'product:read',
        { allow: 'partner:update', fields: ['*', '!id', '!tenant'] },
      ],
    },
    admin: { inherits: ['manager'], grants: ['partner:*'] },
  },
})
