/**
 * The playground page at `/` and its two assets. The page has its own strict CSP with a fresh
 * nonce per request (`@rampart/headers`); the template is split once at start-up, so a request
 * only joins the parts around its nonce.
 * @module
 */
import { readFileSync } from 'node:fs'
import { cspNonce, securityHeaders } from '@rampart/headers'
import type { DemoRoute } from '../routes.js'

/** The folder the page's files are read from. */
const PUBLIC = new URL('../../../public/', import.meta.url)

/** The page's policy: its own scripts by nonce, nothing inline, nothing from elsewhere. */
export const pageHeaders = securityHeaders({
  nonce: true,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'strict-dynamic'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
})

const ASSETS = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
} as const

/** `GET /` and `GET /assets/app.js|app.css`. */
export function pageRoutes(): DemoRoute[] {
  const template = readFileSync(new URL('index.html', PUBLIC), 'utf8').split('{{nonce}}')
  const assets = Object.entries(ASSETS).map(([name, contentType]): DemoRoute => {
    const text = readFileSync(new URL(name, PUBLIC), 'utf8')
    return {
      method: 'GET',
      path: `/assets/${name}`,
      guards: [],
      handle: () => ({ status: 200, text, contentType }),
    }
  })
  return [
    {
      method: 'GET',
      path: '/',
      guards: [pageHeaders],
      handle: (req) => ({
        status: 200,
        text: template.join(req.get(cspNonce) ?? ''),
        contentType: 'text/html; charset=utf-8',
      }),
    },
    ...assets,
  ]
}
