/**
 * A MONITOR feed on its own TCP connection, parsed here. ioredis' `monitor()` throws "Command
 * queue state error" when another client's command reaches the feed before the MONITOR reply
 * (any parallel test traffic): a raw socket has no command queue to confuse.
 */
import { connect } from 'node:net'
import { REDIS_URL } from './helpers.js'

/** One command the server saw: the client's address and the arguments. */
export interface Monitored {
  readonly source: string
  readonly args: string[]
}

/** Parses `"a" "b\\"c"` (MONITOR's argument quoting) into `['a', 'b"c']`. */
function parseArgs(text: string): string[] {
  const args: string[] = []
  let i = 0
  while (i < text.length) {
    if (text[i] !== '"') {
      i++
      continue
    }
    let arg = ''
    i++
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) {
        i++
        const c = text[i] as string
        arg += c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c
      } else {
        arg += text[i]
      }
      i++
    }
    args.push(arg)
    i++
  }
  return args
}

/** Starts a MONITOR feed; resolves once the server has confirmed it. */
export async function monitorFeed(
  onCommand: (command: Monitored) => void,
): Promise<{ close(): void }> {
  const url = new URL(REDIS_URL)
  const socket = connect(Number(url.port || 6379), url.hostname)
  let buffered = ''
  let confirm: (() => void) | undefined
  const confirmed = new Promise<void>((resolve) => {
    confirm = resolve
  })
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    buffered += chunk
    for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
      const line = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      if (line === '+OK') {
        confirm?.()
        continue
      }
      // +1795416103.715208 [0 127.0.0.1:44582] "pttl" "key"
      const match = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line)
      if (match !== null)
        onCommand({ source: match[1] as string, args: parseArgs(match[2] as string) })
    }
  })
  socket.on('error', () => {})
  socket.write('MONITOR\r\n')
  await confirmed
  return { close: () => socket.destroy() }
}
