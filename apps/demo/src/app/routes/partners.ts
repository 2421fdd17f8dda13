/**
 * `/api/partners[/:id]`: every body validated by its zod schema (sanitizer), every request
 * decided by the policy on the record it targets (rbac: ownership, field masks), and every
 * answer filtered through the caller's read mask.
 * @module
 */
import { defineGuard, type Guard } from '@rampart/core'
import { sanitize } from '@rampart/sanitizer'
import type { PartnerInput, PartnerStore } from '../../domain/partners.js'
import { demoPolicy } from '../../domain/policy.js'
import { partnerCreate, partnerPatch } from '../../domain/schemas.js'
import { type DemoRoute, json } from '../routes.js'

/**
 * A new partner belongs to whoever creates it, in their tenant: the server sets both (the schema
 * refuses them from the client), so the policy decides the creation on the real owner.
 */
export const stampOwner: Guard = defineGuard({
  name: 'demo-stamp-owner',
  async request(ctx) {
    const principal = (await ctx.principal()) as { id: string; tenant?: string } | undefined
    const body = await ctx.body()
    if (principal === undefined || typeof body !== 'object' || body === null) return
    ctx.setBody({ ...body, ownerId: principal.id, tenant: principal.tenant })
  },
})

/**
 * The partner routes under `base` (`/api/partners`, `/api/server/partners`), behind `auth` (the
 * session check or the signature check), which runs before the body is looked at.
 */
export function partnerRoutes(
  partners: PartnerStore,
  base: string,
  auth: readonly Guard[],
): DemoRoute[] {
  const load = (ctx: { params(): Record<string, string> | undefined }) =>
    partners.get(ctx.params()?.id ?? '')
  const list = demoPolicy.require('partner:read')
  const read = demoPolicy.require('partner:read', { load })
  const createBody = sanitize({ schema: { body: partnerCreate } })
  const create = demoPolicy.require('partner:create')
  const patchBody = sanitize({ schema: { body: partnerPatch } })
  const update = demoPolicy.require('partner:update', { load })
  const remove = demoPolicy.require('partner:delete', { load })

  return [
    {
      method: 'GET',
      path: base,
      guards: [...auth, list],
      handle: (req) => json(200, req.get(list.access)?.filter(partners.list())),
    },
    {
      method: 'GET',
      path: `${base}/:id`,
      guards: [...auth, read],
      handle: (req) => {
        const access = req.get(read.access)
        return json(200, access?.filter(access.resource))
      },
    },
    {
      method: 'POST',
      path: base,
      guards: [...auth, createBody, stampOwner, create],
      handle: (req) => {
        const access = req.get(create.access)
        const input = req.get(createBody.validated)?.body as PartnerInput
        const created = partners.create(input, access?.principal.id ?? '')
        return json(201, access?.filter(created))
      },
    },
    {
      method: 'PATCH',
      path: `${base}/:id`,
      guards: [...auth, patchBody, update],
      handle: (req) => {
        const access = req.get(update.access)
        const changes = req.get(patchBody.validated)?.body ?? {}
        const updated = partners.update(req.params.id ?? '', changes)
        return json(200, access?.filter(updated))
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:id`,
      guards: [...auth, remove],
      handle: (req) => {
        partners.remove(req.params.id ?? '')
        return { status: 204 }
      },
    },
  ]
}
