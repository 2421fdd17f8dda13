/**
 * The requests the whole-stack variants (`stack-bare`, `stack`, `stack-anchor`) are loaded with:
 * every autocannon connection alternates a `GET` with a query string (a repeated parameter for
 * the parameter-pollution rules) and a `POST` of a small JSON body, both sent by a signed-in user
 * named in a header. Kept apart from the apps so the load generator imports no middleware.
 * @module
 */
import type { Request as AutocannonRequest } from 'autocannon'

/** Header naming the caller; the stacks' principal (ours) or role check (the anchors') reads it. */
export const USER_HEADER = 'x-user'

/** The one user the load signs in as: a `viewer`, which may `partner:read`. */
export const USER = 'vera'

/** The `GET`: a search with paging and `sort` sent twice (`'last'` wins in ours and in hpp). */
export const STACK_GET_PATH = '/?q=acme%20gmbh&page=2&sort=name&sort=created'

/** The `POST` body: a partner record, 220 bytes of JSON, nothing hostile in it. */
export const STACK_BODY = JSON.stringify({
  name: 'Acme GmbH',
  email: 'billing@acme.example',
  phone: '+49 30 12345678',
  creditLimit: 50_000,
  active: true,
  tags: ['wholesale', 'eu'],
  address: { street: 'Hauptstrasse 1', city: 'Berlin', zip: '10115', country: 'DE' },
})

/** The two requests each connection sends in turn. */
export const STACK_REQUESTS: readonly AutocannonRequest[] = [
  { method: 'GET', path: STACK_GET_PATH, headers: { [USER_HEADER]: USER } },
  {
    method: 'POST',
    path: '/',
    headers: { [USER_HEADER]: USER, 'content-type': 'application/json' },
    body: STACK_BODY,
  },
]
