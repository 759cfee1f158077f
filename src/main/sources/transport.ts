/* How the HTTP client reaches a server: Node's own http and https modules, which run under
   Electron's main process and plain Node alike. The global fetch (undici) carries every body
   through web streams: measured when this replaced it (2026-12-04), fetching 200 loopback feeds of
   20 items took 82-148 ms of CPU with fetch and 37-72 ms here, a poll cycle of the core 993 ms
   against 877, and after 100,000 items the process held 35-45 MB less (main_rss_mb_100k 193-203
   MB with fetch, 158 here). Redirects, deadlines, caps and words stay in http.ts. */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type AgentOptions,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex, Readable } from 'node:stream'
import { Transform, pipeline } from 'node:stream'
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type ZlibOptions,
} from 'node:zlib'
import type { ProxyServer } from './proxy'
import { proxyRefusal, proxyUnreachable } from './proxy'

export type TransportRequest = {
  method: string
  /** Lower-cased names. */
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
  /** The proxy to go through (see proxy.ts); absent or null to go direct. */
  proxy?: ProxyServer | null
}

/** An answer whose headers are in; its body is read (or let go) by the caller. */
export type TransportAnswer = {
  status: number
  statusText: string
  headers: Headers
  /** The body as it arrives, decompressed. Ends early with an error if the connection is cut. */
  body: AsyncIterable<Uint8Array>
  /** Lets go of the body unread: a finished one is drained so its connection is reused. */
  discard(): void
}

export type Transport = (url: string, request: TransportRequest) => Promise<TransportAnswer>

/**
 * Connections are kept open between requests to the same host (a cycle often polls several
 * sources of one server), but not past 4 s of quiet: a server that closes an idle connection at
 * the moment a request is sent on it would turn into a "connection cut off" error. Servers that
 * announce a shorter `Keep-Alive: timeout` are believed (Node's agent reads the hint).
 */
const KEEP_ALIVE = { keepAlive: true, timeout: 4_000 }
const agents = { http: new HttpAgent(KEEP_ALIVE), https: new HttpsAgent(KEEP_ALIVE) }

/** The encodings Earshot asks for; fetch asked for the same. */
const ACCEPT_ENCODING = 'gzip, deflate, br'

/** Node's http and https, with the body decompressed as fetch would. */
export const nodeTransport: Transport = (url, request) =>
  new Promise<TransportAnswer>((resolve, reject) => {
    const target = new URL(url)
    const secure = target.protocol === 'https:'
    if (!secure && target.protocol !== 'http:') {
      throw new TypeError(`Only web addresses can be fetched, not ${target.protocol}`)
    }
    const headers: Record<string, string> = {
      accept: '*/*',
      'accept-encoding': ACCEPT_ENCODING,
      ...request.headers,
    }
    if (request.body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(request.body))
    }
    const proxy = request.proxy ?? null
    // Plain http through a proxy: the whole address goes to the proxy, which fetches it. Https
    // goes through a tunnel instead, and from there on speaks to the server as if direct.
    const forward = secure ? null : proxy
    const base = { method: request.method, headers, signal: request.signal }
    let outgoing
    if (forward) {
      if (forward.authorization) headers['proxy-authorization'] = forward.authorization
      headers['host'] = target.host
      outgoing = httpRequest({
        ...base,
        host: forward.host,
        port: forward.port,
        path: target.href,
        agent: proxyAgent(forward, 'forward'),
      })
    } else {
      const agent = proxy ? proxyAgent(proxy, 'tls') : secure ? agents.https : agents.http
      const options = { ...base, agent }
      outgoing = secure ? httpsRequest(target, options) : httpRequest(target, options)
    }
    // A forwarded request that fails before its socket to the proxy is up never reached the proxy.
    let reachedProxy = false
    if (forward) {
      outgoing.once('socket', (socket: Socket) => {
        if (!socket.connecting) reachedProxy = true
        else socket.once('connect', () => (reachedProxy = true))
      })
    }
    // `on`, not `once`: the socket can fail again after the answer began, and an 'error' without a
    // listener would end the process. Once settled, later rejections change nothing.
    outgoing.on('error', (cause: Error & { code?: string }) => {
      const unreached = forward && !reachedProxy && !cause.code?.startsWith('ABORT')
      reject(unreached ? proxyUnreachable(forward, cause) : cause)
    })
    outgoing.once('response', (incoming: IncomingMessage) => {
      if (forward && incoming.statusCode === 407) {
        incoming.resume()
        reject(proxyRefusal(forward, target.host, 407, incoming.statusMessage ?? ''))
        return
      }
      const body = decoded(incoming)
      resolve({
        status: incoming.statusCode ?? 0,
        statusText: incoming.statusMessage ?? '',
        headers: headersOf(incoming),
        body,
        discard: () => discard(incoming, body),
      })
    })
    outgoing.end(request.body)
  })

/** How long a proxy may take to open a tunnel; the request's own deadline usually ends it first. */
const TUNNEL_TIMEOUT_MS = 30_000

/**
 * Opens a tunnel to `host:port` through `proxy` (HTTP CONNECT): the socket then speaks straight to
 * the server, TLS on top for https. A refusal or an unreachable proxy rejects with words.
 */
function openTunnel(proxy: ProxyServer, host: string, port: number): Promise<Socket> {
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: authority }
    if (proxy.authorization) headers['proxy-authorization'] = proxy.authorization
    const connect = httpRequest({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    })
    connect.setTimeout(TUNNEL_TIMEOUT_MS, () =>
      connect.destroy(Object.assign(new Error('tunnel timed out'), { code: 'ETIMEDOUT' })),
    )
    connect.once('connect', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
      connect.setTimeout(0)
      const status = answer.statusCode ?? 0
      if (status < 200 || status > 299) {
        socket.destroy()
        reject(proxyRefusal(proxy, authority, status, answer.statusMessage ?? ''))
        return
      }
      if (head.length > 0) socket.unshift(head)
      resolve(socket)
    })
    // A proxy that answers CONNECT with an ordinary response (and closes) refused it.
    connect.once('response', (answer: IncomingMessage) => {
      answer.resume()
      reject(proxyRefusal(proxy, authority, answer.statusCode ?? 0, answer.statusMessage ?? ''))
    })
    connect.once('error', (cause) => reject(proxyUnreachable(proxy, cause)))
    connect.end()
  })
}

type Created = (error: Error | null, socket: Duplex) => void

/** Opens the tunnel for `options` (the agent's host and port) and hands over what `wrap` makes of it. */
function tunnelFor(
  proxy: ProxyServer,
  options: RequestOptions,
  defaultPort: number,
  created: Created | undefined,
  wrap: (socket: Socket) => Duplex,
): undefined {
  const host = options.host ?? options.hostname ?? 'localhost'
  const port = Number(options.port ?? defaultPort)
  openTunnel(proxy, host, port).then(
    (socket) => created?.(null, wrap(socket)),
    (error: Error) => created?.(error, undefined as never),
  )
  return undefined
}

/** Keeps https connections through one proxy: each a tunnel with TLS on top. */
class TlsTunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: ProxyServer,
    options: AgentOptions,
  ) {
    super(options)
  }

  override createConnection(options: RequestOptions, created?: Created): undefined {
    // Node's https agent puts TLS on the given socket, with its session cache and SNI.
    return tunnelFor(
      this.proxy,
      options,
      443,
      created,
      (socket) => super.createConnection({ ...options, socket } as RequestOptions) as Duplex,
    )
  }
}

/** Keeps plain connections through one proxy as bare tunnels (ws:// streams). */
class PlainTunnelAgent extends HttpAgent {
  constructor(
    private readonly proxy: ProxyServer,
    options: AgentOptions,
  ) {
    super(options)
  }

  override createConnection(options: RequestOptions, created?: Created): undefined {
    return tunnelFor(this.proxy, options, 80, created, (socket) => socket)
  }
}

const proxied = new Map<string, HttpAgent>()

/**
 * The kept-alive agent for one proxy and one way through it: `forward` (plain http, addresses sent
 * whole), `tls` (a tunnel with TLS on top: https, wss) or `plain` (a bare tunnel: ws).
 */
export function proxyAgent(proxy: ProxyServer, way: 'forward' | 'tls' | 'plain'): HttpAgent {
  const key = `${way} ${proxy.host} ${proxy.port} ${proxy.authorization ?? ''}`
  let agent = proxied.get(key)
  if (!agent) {
    agent =
      way === 'forward'
        ? new HttpAgent(KEEP_ALIVE)
        : way === 'tls'
          ? new TlsTunnelAgent(proxy, KEEP_ALIVE)
          : new PlainTunnelAgent(proxy, KEEP_ALIVE)
    proxied.set(key, agent)
  }
  return agent
}

/** An unwanted body this short is read to its end, so its connection can carry the next request. */
const DRAIN_BYTES = 64 * 1024
/** ...if it ends this soon; a slower one costs its connection instead. */
const DRAIN_MS = 1_000

/**
 * Lets go of a body unread. Error pages and 304s are short, and draining them keeps the kept-alive
 * connection for the next source of the same server; a long or stalled body is cut instead.
 */
function discard(incoming: IncomingMessage, body: AsyncIterable<Uint8Array>): void {
  const stream = body as Readable
  if (incoming.complete) {
    stream.resume()
    return
  }
  const cut = () => void stream.destroy()
  if (Number(incoming.headers['content-length'] ?? 0) > DRAIN_BYTES) return cut()
  let left = DRAIN_BYTES
  const timer = setTimeout(cut, DRAIN_MS)
  timer.unref()
  incoming.on('data', (chunk: Buffer) => {
    left -= chunk.byteLength
    if (left < 0) cut()
  })
  incoming.once('close', () => clearTimeout(timer))
  stream.resume()
}

function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers()
  for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
    try {
      headers.append(incoming.rawHeaders[i] ?? '', incoming.rawHeaders[i + 1] ?? '')
    } catch {
      // A header that Headers refuses is one nothing here reads; the answer still counts.
    }
  }
  return headers
}

/**
 * The body through a decoder per `Content-Encoding` (last applied, first undone), lenient like
 * fetch with a stream that ends without its trailer. An encoding not listed passes through as is.
 */
function decoded(incoming: IncomingMessage): AsyncIterable<Uint8Array> {
  const codings = (incoming.headers['content-encoding'] ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity')
    .reverse()
  const lenient: ZlibOptions = {
    flush: constants.Z_SYNC_FLUSH,
    finishFlush: constants.Z_SYNC_FLUSH,
  }
  const decoders: Readable[] = []
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip(lenient))
    else if (coding === 'deflate') decoders.push(inflateEither(lenient))
    else if (coding === 'br') decoders.push(createBrotliDecompress())
    else return incoming
  }
  if (decoders.length === 0) return incoming
  const last = decoders[decoders.length - 1] as Readable
  // pipeline destroys every stage when one fails, so a cut connection ends the reading with it.
  pipeline([incoming, ...decoders] as unknown as [Readable, Readable], () => undefined)
  return last
}

/**
 * "deflate" means zlib-wrapped data, but some servers send it raw; as fetch does, the first byte
 * decides (a zlib header's low nibble is 8).
 */
function inflateEither(options: ZlibOptions): Transform {
  let inflater: Transform | null = null
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!inflater) {
        const wrapped = ((chunk[0] ?? 0) & 0x0f) === 0x08
        inflater = wrapped ? createInflate(options) : createInflateRaw(options)
        inflater.on('data', (data: Buffer) => this.push(data))
        inflater.on('error', (error) => this.destroy(error))
      }
      inflater.write(chunk, () => done())
    },
    flush(done) {
      if (!inflater) return done()
      inflater.once('end', () => done())
      inflater.end()
    },
  })
}
