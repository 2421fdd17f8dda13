/**
 * The demo's partner directory: an in-memory store seeded with a few records, in the spirit of
 * the ERP systems in the source guides. Every record belongs to the demo tenant and to the user
 * who created it; records handed out are copies, so a caller cannot change the store by
 * mutating one.
 * @module
 */
import { randomUUID } from 'node:crypto'
import { DEMO_TENANT } from './users.js'

/** A partner record. */
export interface Partner {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly phone: string
  readonly website: string
  readonly vatId: string
  readonly creditLimit: number
  readonly ownerId: string
  readonly tenant: string
}

/** What a client sends to create or change a partner (validated by the sanitizer's schema). */
export type PartnerInput = Omit<Partner, 'id' | 'ownerId' | 'tenant'>

const SEED: readonly Omit<Partner, 'tenant'>[] = [
  {
    id: 'p-1001',
    name: 'Nordwind Logistik GmbH',
    email: 'einkauf@nordwind.example',
    phone: '+49 40 1234567',
    website: 'https://nordwind.example',
    vatId: 'DE123456789',
    creditLimit: 50_000,
    ownerId: 'u-ed',
  },
  {
    id: 'p-1002',
    name: 'Lumen Components SRL',
    email: 'orders@lumen.example',
    phone: '+40 21 555 0101',
    website: 'https://lumen.example',
    vatId: 'RO12345678',
    creditLimit: 20_000,
    ownerId: 'u-max',
  },
  {
    id: 'p-1003',
    name: 'Fjord Fisheries AS',
    email: 'post@fjord.example',
    phone: '+47 22 33 44 55',
    website: 'https://fjord.example',
    vatId: 'NO999888777',
    creditLimit: 75_000,
    ownerId: 'u-ed',
  },
]

/** Partners by id. */
export class PartnerStore {
  private readonly partners = new Map<string, Partner>()

  constructor(seed: readonly Omit<Partner, 'tenant'>[] = SEED) {
    for (const p of seed) this.partners.set(p.id, { ...p, tenant: DEMO_TENANT })
  }

  /** Every partner, in creation order (copies). */
  list(): Partner[] {
    return [...this.partners.values()].map((p) => ({ ...p }))
  }

  /** The partner with this id (a copy), or `undefined`. */
  get(id: string): Partner | undefined {
    const found = this.partners.get(id)
    return found === undefined ? undefined : { ...found }
  }

  /** Creates a partner owned by `ownerId` in the demo tenant. */
  create(input: PartnerInput, ownerId: string): Partner {
    const partner: Partner = { ...input, id: `p-${randomUUID()}`, ownerId, tenant: DEMO_TENANT }
    this.partners.set(partner.id, partner)
    return { ...partner }
  }

  /** Replaces a partner's fields (id, owner and tenant stay); `undefined` when there is none. */
  update(id: string, changes: Partial<PartnerInput>): Partner | undefined {
    const current = this.partners.get(id)
    if (current === undefined) return undefined
    const next: Partner = {
      ...current,
      ...changes,
      id,
      ownerId: current.ownerId,
      tenant: current.tenant,
    }
    this.partners.set(id, next)
    return { ...next }
  }

  /** Deletes a partner; whether there was one. */
  remove(id: string): boolean {
    return this.partners.delete(id)
  }
}
