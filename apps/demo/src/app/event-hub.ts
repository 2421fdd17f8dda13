/**
 * The live stream of security events behind `GET /events`: every event the adapters deliver
 * (already redacted by core's `redactEvent`) is stamped with a time, kept in a short backlog
 * for newcomers and pushed to each subscriber.
 * @module
 */

/** One event as the stream sends it: plain, redacted data with its type and time. */
export type StreamedEvent = { readonly type: string; readonly time: number } & Record<
  string,
  unknown
>

/** Receives streamed events. */
export type EventListener = (event: StreamedEvent) => void

/** Fans security events out to the page's SSE connections. */
export class EventHub {
  private readonly listeners = new Set<EventListener>()
  private readonly backlog: StreamedEvent[] = []

  /** @param keep how many recent events a new subscriber gets first */
  constructor(private readonly keep = 50) {}

  /** Publishes a (redacted) event; a listener that throws is dropped, never the event. */
  publish(event: unknown, now = Date.now()): void {
    const data = (typeof event === 'object' && event !== null ? event : {}) as Record<
      string,
      unknown
    >
    const streamed: StreamedEvent = {
      ...data,
      type: typeof data.type === 'string' ? data.type : 'unknown',
      time: now,
    }
    this.backlog.push(streamed)
    if (this.backlog.length > this.keep) this.backlog.shift()
    for (const listener of this.listeners) {
      try {
        listener(streamed)
      } catch {
        this.listeners.delete(listener)
      }
    }
  }

  /** Subscribes; the listener first gets the backlog. Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    for (const event of this.backlog) listener(event)
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** How many subscribers are connected. */
  get size(): number {
    return this.listeners.size
  }
}

/** One SSE message: `event:` line, `data:` line (JSON has no raw newlines), blank line. */
export function sseMessage(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}
