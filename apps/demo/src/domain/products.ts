/**
 * The demo's product catalogue: read-only, seeded, so the API has a second resource whose field
 * mask differs by role (the purchase cost is for managers and admins).
 * @module
 */
import { DEMO_TENANT } from './users.js'

/** A product record. */
export interface Product {
  readonly id: string
  readonly name: string
  readonly sku: string
  readonly price: number
  readonly cost: number
  readonly tenant: string
}

/** The seeded catalogue (copies handed out by {@link listProducts}). */
const PRODUCTS: readonly Product[] = [
  { id: 'pr-1', name: 'Pallet wrap 500 mm', sku: 'PW-500', price: 24.9, cost: 11.2 },
  { id: 'pr-2', name: 'Euro pallet (EPAL)', sku: 'EP-1200', price: 17.5, cost: 9.8 },
  { id: 'pr-3', name: 'Barcode labels ×1000', sku: 'BL-1000', price: 12.0, cost: 3.1 },
].map((p) => ({ ...p, tenant: DEMO_TENANT }))

/** Every product, as copies. */
export function listProducts(): Product[] {
  return PRODUCTS.map((p) => ({ ...p }))
}
