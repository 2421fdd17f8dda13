/**
 * `GET /api/products`: the catalogue through the caller's read mask (the purchase cost is for
 * managers and admins).
 * @module
 */

import { demoPolicy } from '../../domain/policy.js'
import { listProducts } from '../../domain/products.js'
import { type DemoRoute, json } from '../routes.js'

/** `GET /api/products`. */
export function productRoutes(): DemoRoute[] {
  const read = demoPolicy.require('product:read')
  return [
    {
      method: 'GET',
      path: '/api/products',
      guards: [read],
      handle: (req) => json(200, req.get(read.access)?.filter(listProducts())),
    },
  ]
}
