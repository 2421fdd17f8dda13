/**
 * An in-process TCP proxy between a client and the real Redis, so a test can take "Redis" away
 * and bring it back without touching the shared server: `blackhole()` swallows traffic both
 * ways on open connections (a partition: commands neither reach Redis nor get answers), `stop()`
 * closes the listener and every connection (Redis down: connects are refused), `start()` listens
 * again on the same port.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string
  /** Swallows all traffic on open connections from now on. */
  blackhole(): void
  /** Closes the listener and destroys every connection. */
  stop(): Promise<void>
  /** Listens again, on the same port, with fresh connections forwarding normally. */
  start(): Promise<void>
}

/** Starts a proxy to `target` (a `redis://host:port` URL) on a free port. */
export async function tcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target)
  const sockets = new Set<Socket>()
  let swallowing = false
  let server: Server | undefined
  let port = 0

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      swallowing = false
      server = createServer((downstream) => {
        const upstream = connect(Number(targetPort || 6379), hostname)
        for (const [from, to] of [
          [downstream, upstream],
          [upstream, downstream],
        ] as const) {
          sockets.add(from)
          from.on('data', (chunk) => {
            if (!swallowing) to.write(chunk)
          })
          from.on('error', () => to.destroy())
          from.on('close', () => {
            sockets.delete(from)
            to.destroy()
          })
        }
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        const address = server?.address()
        if (address && typeof address === 'object') port = address.port
        resolve()
      })
    })

  await listen()
  return {
    get url() {
      return `redis://127.0.0.1:${port}`
    },
    blackhole() {
      swallowing = true
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        sockets.clear()
        if (server === undefined) resolve()
        else server.close(() => resolve())
      }),
    start: listen,
  }
}
