import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  dispatchCall,
  type CallHandlers,
  type EventName,
  type EventPayload,
} from '../../shared/contract'
import type { Logger } from '../log'
import { contentSecurityPolicy } from '../security/csp'
import { readStaticFile } from './static'

/*
 * The web host: the built renderer and the contract over one WebSocket, on 127.0.0.1 only.
 * A web page in the user's browser must not be able to drive Earshot, so the socket needs the
 * session token (only readable by a page of this origin) and this origin; the Host header is
 * checked too, against DNS rebinding.
 */

export type WebHostOptions = {
  port: number
  rendererDir: string
  handlers: CallHandlers
  logger: Logger
  token?: string
}

export type WebHost = {
  url: string
  port: number
  token: string
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void
  close(): Promise<void>
}

const MAX_MESSAGE_BYTES = 1024 * 1024

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { handlers, logger } = options
  const token = options.token ?? randomBytes(32).toString('base64url')
  let port = options.port
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])

  const server = createServer((req, res) => {
    void serveHttp(req, res)
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) return deny(res, 421, 'Misdirected request')
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed')
    const file = await readStaticFile(options.rendererDir, req.url ?? '/')
    if (!file.ok) return deny(res, file.status, file.status === 404 ? 'Not found' : 'Forbidden')
    let body = file.body
    if (file.isIndex) {
      const meta = `<meta name="earshot-token" content="${token}" />`
      body = Buffer.from(body.toString('utf8').replace('</head>', `${meta}\n</head>`), 'utf8')
    }
    res.writeHead(200, {
      'Content-Type': file.mime,
      'Content-Length': body.length,
      'Content-Security-Policy': contentSecurityPolicy({
        connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
      }),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cache-Control': file.isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
    })
    res.end(req.method === 'HEAD' ? undefined : body)
  }

  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/ws') return reject(404, 'Not Found')
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, 'Misdirected Request')
    if (!allowedOrigins().has(req.headers.origin ?? '')) {
      logger.warn('web host: refused a socket from a foreign origin', {
        origin: req.headers.origin,
      })
      return reject(403, 'Forbidden')
    }
    if (!sameToken(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized')
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws))
  })

  function serveSocket(ws: WebSocket): void {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'Text only')
      let message: unknown
      try {
        message = JSON.parse(rawText(data))
      } catch {
        return ws.close(1007, 'Invalid JSON')
      }
      const call = message as { type?: unknown; id?: unknown; name?: unknown; input?: unknown }
      if (call.type !== 'call' || !Number.isSafeInteger(call.id))
        return ws.close(1008, 'Bad message')
      void dispatchCall(handlers, call.name, call.input).then((result) => {
        if (ws.readyState === ws.OPEN)
          ws.send(JSON.stringify({ type: 'reply', id: call.id, result }))
      })
    })
    ws.on('error', (cause) => logger.warn('web host: socket error', { error: cause.message }))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    broadcast(event, payload) {
      const text = JSON.stringify({ type: 'event', name: event, payload })
      for (const ws of sockets.clients) if (ws.readyState === ws.OPEN) ws.send(text)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate()
        sockets.close()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
  })
  res.end(text)
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function rawText(data: unknown): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8')
  return Buffer.from(data as ArrayBuffer).toString('utf8')
}
