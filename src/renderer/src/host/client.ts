import type { EarshotClient } from '../../../shared/contract'
import { createConnectionWatch, type HostClient } from './connection'
import { createWebClient } from './web-client'

/** The host's client: Electron's preload bridge when present, else the web host's WebSocket. */
export function connectHost(): HostClient {
  const bridge = readBridge((window as { earshot?: unknown }).earshot)
  if (bridge) {
    return {
      kind: 'electron',
      // IPC has no connection to lose: the bridge lives as long as the window.
      connection: createConnectionWatch('connected'),
      call: (name, input) => bridge.call(name, input),
      on: (event, listener) => bridge.on(event, listener),
    }
  }
  return createWebClient({ url: webSocketUrl(location, readToken(document)) })
}

function readBridge(value: unknown): EarshotClient | null {
  if (typeof value !== 'object' || value === null) return null
  const { call, on } = value as Record<string, unknown>
  if (typeof call !== 'function' || typeof on !== 'function') return null
  return value as EarshotClient
}

/** The web host writes the session token into the page; without it the socket is refused. */
export function readToken(doc: Document): string {
  return doc.querySelector('meta[name="earshot-token"]')?.getAttribute('content') ?? ''
}

export function webSocketUrl(where: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = where.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${where.host}/ws?token=${encodeURIComponent(token)}`
}
