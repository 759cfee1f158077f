/* The polite HTTP client every connector shares: one deadline, a decoded-size cap, conditional GET,
   manual redirects and typed failures in words a responder can read. */
import { STATUS_CODES, type Agent } from 'node:http'
import type { Logger } from '../log'
import { silentLogger } from '../log'
import { SourceError } from './connector'
import type { ProxyResolver, ProxyServer } from './proxy'
import { directOnly, envProxy, ProxyError } from './proxy'
import type { TransportAnswer } from './transport'
import { nodeTransport, proxyAgent } from './transport'

export const DEFAULT_TIMEOUT_MS = 20_000
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024
export const MAX_REDIRECTS = 5
/** A server may ask for a pause, but not for one long enough to look like a dead source. */
export const MAX_RETRY_AFTER_MS = 6 * 3600 * 1000

export type HttpRequest = {
  headers?: Record<string, string>
  /** Validators from the last 200, echoed verbatim. */
  etag?: string | null
  lastModified?: string | null
  signal?: AbortSignal
  /** Who answered, for error messages: "The feed answered 404 Not Found". */
  subject?: string
  /**
   * Return 4xx/5xx answers (except 429 and 503, always a `rate-limited` error) with their body
   * instead of throwing, for APIs that explain errors in JSON (XRPC `ExpiredToken`, Reddit).
   */
  allowErrors?: boolean
  /**
   * Leave the body undecoded, in `bytes` (`body` is then ''), for a reader that decodes it off the
   * main thread: the bytes move to the parse worker without a copy, and the main thread never
   * holds the text.
   */
  keepBytes?: boolean
}

/** A write: the body is sent as given; redirects are refused, since a moved write is not safe to repeat. */
export type HttpSendRequest = HttpRequest & {
  method: 'POST' | 'PUT' | 'DELETE'
  body?: string
}

export type HttpResponse = {
  status: number
  /** The URL that finally answered, after redirects. */
  url: string
  /** Lower-cased header names. */
  headers: Record<string, string>
  body: string
  /** The body as it arrived (after decompression), when the request asked to keep the bytes. */
  bytes?: Uint8Array
  notModified: boolean
  /**
   * Where the resource now lives when every redirect before it was permanent (301/308), so the
   * caller may store it; null when there was no redirect or a temporary one came first.
   */
  movedTo: string | null
}

export type HttpClient = {
  get(url: string, request?: HttpRequest): Promise<HttpResponse>
  send(url: string, request: HttpSendRequest): Promise<HttpResponse>
  /**
   * The agent a long-lived connection to `url` (a WebSocket stream) should open through: the
   * proxy's tunnel when one applies, undefined to go direct. Throws a `SourceError` in words when
   * the proxy setting cannot be used.
   */
  agentFor?(url: string): Promise<Agent | undefined>
}

export type HttpClientOptions = {
  userAgent: string
  timeoutMs?: number
  maxBytes?: number
  logger?: Logger
  /** The clock for HTTP-date `Retry-After` values. */
  now?: () => number
  /** Which proxy each request goes through; the environment's (`https_proxy` …) by default. */
  proxy?: ProxyResolver
}

/** The User-Agent every request carries: name, version and where to complain. */
export function userAgent(version: string): string {
  return `Earshot/${version} (+https://github.com/earshot-app/earshot)`
}

const deltaSeconds = /^\s*(\d+)\s*$/
// RFC 9110 allows three date formats; all start with a day name. Date.parse alone accepts "1".
const httpDate = /^\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+\S/i

/**
 * Milliseconds to wait from a `Retry-After` value (delta-seconds or HTTP-date), clamped to
 * [0, 6 h]; null when the header is missing or not understood.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null
  const seconds = deltaSeconds.exec(value)
  if (seconds) return Math.min(Number(seconds[1]) * 1000, MAX_RETRY_AFTER_MS)
  if (!httpDate.test(value)) return null
  // asctime dates carry no zone but mean GMT; Date.parse would read them as local time.
  const at = Date.parse(/\d{4}\s*$/.test(value) ? `${value} GMT` : value)
  if (Number.isNaN(at)) return null
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS)
}

/**
 * Milliseconds until a rate-limit window resets, from the platforms' reset headers: an ISO
 * datetime (Mastodon `X-RateLimit-Reset`), epoch seconds (Bluesky `RateLimit-Reset`, GitHub) or
 * seconds remaining (Reddit `X-Ratelimit-Reset`). Clamped to [0, 6 h]; null when absent or unclear.
 */
export function parseRateLimitReset(headers: Headers, now: number): number | null {
  const value =
    headers.get('x-ratelimit-reset') ??
    headers.get('ratelimit-reset') ??
    headers.get('x-rate-limit-reset')
  if (value === null) return null
  const seconds = deltaSeconds.exec(value)
  let at: number
  if (seconds) {
    const n = Number(seconds[1])
    at = n >= 1_000_000_000 ? n * 1000 : now + n * 1000
  } else {
    // Only a full ISO datetime: a bare date or garbage must not be guessed at.
    if (!/^\s*\d{4}-\d{2}-\d{2}T/.test(value)) return null
    at = Date.parse(value)
    if (Number.isNaN(at)) return null
  }
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS)
}

/** Creates the shared client; `userAgent` is required so no request goes out anonymous. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const logger = options.logger ?? silentLogger
  const now = options.now ?? Date.now
  const proxyFor = options.proxy ?? envProxy()
  // Without any proxy setting (the usual case), requests skip the lookup altogether.
  const direct = proxyFor === directOnly

  /** The proxy for `url`, or null; a setting that cannot be used fails in its own words. */
  async function proxyOf(url: string): Promise<ProxyServer | null> {
    try {
      return await proxyFor(new URL(url))
    } catch (cause) {
      const context = { timedOut: false, timeoutMs, callerSignal: undefined, answered: false }
      throw describeFailure(cause, url, { ...context, subject: 'The server' })
    }
  }

  async function get(url: string, request: HttpRequest = {}): Promise<HttpResponse> {
    return exchange(url, request, 'GET', undefined)
  }

  async function send(url: string, request: HttpSendRequest): Promise<HttpResponse> {
    return exchange(url, request, request.method, request.body)
  }

  async function exchange(
    url: string,
    request: HttpRequest,
    method: string,
    body: string | undefined,
  ): Promise<HttpResponse> {
    const subject = request.subject ?? 'The server'
    // One deadline for connect, headers, redirects and body alike.
    const deadline = startDeadline(timeoutMs, request.signal)
    const signal = deadline.signal
    const headers = baseHeaders(options.userAgent, request)
    let current = url
    let movedTo: string | null = null
    let permanentSoFar = true
    // `answered`: the request had its answer, so the failure came while reading the body.
    const failure = (cause: unknown, answered: boolean) =>
      describeFailure(cause, current, {
        timedOut: deadline.timedOut(),
        timeoutMs,
        callerSignal: request.signal,
        answered,
        subject,
      })
    try {
      for (let hop = 0; ; hop++) {
        // Per hop: a redirect may lead to a host the proxy settings send direct, or the reverse.
        const proxy = direct ? null : await proxyOf(current)
        const init = { headers, signal, method, proxy }
        const response = await nodeTransport(
          current,
          body === undefined ? init : { ...init, body },
        ).catch((cause: unknown) => {
          throw failure(cause, false)
        })
        const location = response.headers.get('location')
        if (method !== 'GET' && isRedirect(response.status)) {
          response.discard()
          const words = `${subject} redirected a write elsewhere (${statusLine(response)}); nothing was resent`
          throw new SourceError('http', words, { status: response.status })
        }
        if (isRedirect(response.status) && location !== null) {
          response.discard()
          if (hop >= MAX_REDIRECTS) {
            const words = `${subject} redirected more than ${MAX_REDIRECTS} times`
            throw new SourceError('http', words, { status: response.status })
          }
          const next = resolveRedirect(current, location, subject)
          if (new URL(next).origin !== new URL(current).origin) dropCredentials(headers)
          permanentSoFar &&= response.status === 301 || response.status === 308
          if (permanentSoFar) movedTo = next
          // Hosts only: a feed's URL can itself be the secret (Google Alerts).
          const hosts = { from: new URL(current).host, to: new URL(next).host }
          logger.debug('http redirect', { ...hosts, status: response.status })
          current = next
          continue
        }
        return await finish(response, current, movedTo, subject, signal, request)
      }
    } catch (cause) {
      if (cause instanceof SourceError) throw cause
      // Anything else arose reading an answer's body (redirects and statuses throw SourceErrors).
      throw failure(cause, true)
    } finally {
      deadline.end()
    }
  }

  async function finish(
    response: TransportAnswer,
    url: string,
    movedTo: string | null,
    subject: string,
    signal: AbortSignal,
    request: HttpRequest,
  ): Promise<HttpResponse> {
    const headers = Object.fromEntries(response.headers)
    const base = { status: response.status, url, headers, movedTo }
    if (response.status === 304) {
      response.discard()
      return { ...base, body: '', notModified: true }
    }
    if (response.status === 429 || response.status === 503) {
      response.discard()
      // Retry-After first; Mastodon and others send only their own reset header on a 429.
      const retryAfterMs =
        parseRetryAfter(response.headers.get('retry-after'), now()) ??
        parseRateLimitReset(response.headers, now())
      const words =
        response.status === 429
          ? `${subject} asked Earshot to slow down (${statusLine(response)})`
          : `${subject} is unavailable for now (${statusLine(response)})`
      throw new SourceError('rate-limited', words, {
        status: response.status,
        ...(retryAfterMs === null ? {} : { retryAfterMs }),
      })
    }
    if ((response.status < 200 || response.status > 299) && !request.allowErrors) {
      response.discard()
      const words = `${subject} answered ${statusLine(response)}`
      throw new SourceError(response.status === 401 ? 'auth' : 'http', words, {
        status: response.status,
      })
    }
    const bytes = await readCapped(response, maxBytes, subject, signal)
    if (request.keepBytes) return { ...base, body: '', bytes, notModified: false }
    const body = decode(bytes, response.headers.get('content-type'))
    return { ...base, body, notModified: false }
  }

  async function agentFor(url: string): Promise<Agent | undefined> {
    const proxy = direct ? null : await proxyOf(url)
    if (!proxy) return undefined
    const target = new URL(url)
    const secure = target.protocol === 'wss:' || target.protocol === 'https:'
    return proxyAgent(proxy, secure ? 'tls' : 'plain')
  }

  return { get, send, agentFor }
}

type Deadline = {
  signal: AbortSignal
  /** Whether the deadline, not the caller, ended the exchange. */
  timedOut: () => boolean
  /** Stops the clock and lets go of the caller's signal; the exchange is over. */
  end: () => void
}

/**
 * The exchange's own abort signal: fires after `timeoutMs` or when the caller's signal fires. A
 * timer cleared when the exchange ends, not `AbortSignal.timeout` + `AbortSignal.any`: those cannot
 * be cancelled, so every finished request's timer still fired 20 s later and aborted a dead signal
 * (an exception built, an event sent to the request's listeners), and `any` tied each signal to the
 * caller's until garbage collection. A poll cycle of 200 feeds paid for 200 of each.
 */
function startDeadline(timeoutMs: number, caller: AbortSignal | undefined): Deadline {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
  }, timeoutMs)
  // Like AbortSignal.timeout: the clock alone never keeps the process alive.
  timer.unref()
  const follow = () => controller.abort(caller?.reason)
  if (caller?.aborted) follow()
  else caller?.addEventListener('abort', follow, { once: true })
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    end() {
      clearTimeout(timer)
      caller?.removeEventListener('abort', follow)
    },
  }
}

function baseHeaders(agent: string, request: HttpRequest): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': agent }
  // Header names are case-insensitive: lower-cased, a connector's own User-Agent (Reddit requires
  // its own format) replaces the default instead of being sent alongside it.
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = value
  }
  if (request.etag) headers['if-none-match'] = request.etag
  if (request.lastModified) headers['if-modified-since'] = request.lastModified
  return headers
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308
}

function resolveRedirect(from: string, location: string, subject: string): string {
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw new SourceError('http', `${subject} redirected to an address that is not valid`)
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new SourceError('http', `${subject} redirected to an address that is not a web address`)
  }
  return next.href
}

// Credentials belong to the configured origin only; a redirect elsewhere must not carry them.
function dropCredentials(headers: Record<string, string>): void {
  for (const name of Object.keys(headers)) {
    if (/^(authorization|cookie|proxy-authorization)$/i.test(name)) delete headers[name]
  }
}

function statusLine(response: TransportAnswer): string {
  const reason = response.statusText || STATUS_CODES[response.status] || ''
  return reason ? `${response.status} ${reason}` : String(response.status)
}

/** Reads the body, counting bytes after decompression, so a gzip bomb stops at the cap. */
async function readCapped(
  response: TransportAnswer,
  maxBytes: number,
  subject: string,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new SourceError('too-large', `${subject} sent more than ${formatBytes(maxBytes)}`, {
      status: response.status,
    })
  const declared = Number(response.headers.get('content-length'))
  const encoded = response.headers.get('content-encoding')
  if (!encoded && Number.isFinite(declared) && declared > maxBytes) {
    response.discard()
    throw tooLarge()
  }
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body) {
    signal.throwIfAborted()
    total += chunk.byteLength
    if (total > maxBytes) {
      response.discard()
      throw tooLarge()
    }
    chunks.push(chunk)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Decodes by BOM, then the Content-Type charset, then an XML declaration, then UTF-8. */
export function decode(bytes: Uint8Array, contentType: string | null): string {
  let label = bomCharset(bytes) ?? headerCharset(contentType) ?? xmlCharset(bytes) ?? 'utf-8'
  // Feeds often claim Latin-1 while sending UTF-8; text that is valid UTF-8 with multi-byte
  // sequences is almost never really Latin-1, so believe the bytes over the label.
  if (!/^(utf-?8|utf-?16)/i.test(label) && looksLikeUtf8(bytes)) label = 'utf-8'
  try {
    return new TextDecoder(label).decode(bytes)
  } catch {
    // An unknown label is the server's mistake; UTF-8 is the likeliest truth.
    return new TextDecoder('utf-8').decode(bytes)
  }
}

function looksLikeUtf8(bytes: Uint8Array): boolean {
  if (!bytes.some((byte) => byte >= 0x80)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

function bomCharset(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  return null
}

function headerCharset(contentType: string | null): string | null {
  const match = contentType ? /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType) : null
  return match?.[1] ?? null
}

function xmlCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200))
  const match = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)
  return match?.[1] ?? null
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} bytes`
}

type FailureContext = {
  timedOut: boolean
  timeoutMs: number
  callerSignal: AbortSignal | undefined
  /** The failing request had its answer: the failure came while reading the body. */
  answered: boolean
  subject: string
}

function describeFailure(cause: unknown, url: string, context: FailureContext): SourceError {
  let host = url
  try {
    host = new URL(url).host
  } catch {
    // Keep the raw text; it is only for the message.
  }
  if (context.timedOut) {
    return new SourceError('timeout', `${host} did not answer within ${seconds(context.timeoutMs)}`)
  }
  if (context.callerSignal?.aborted) {
    return new SourceError('network', 'The check was cancelled')
  }
  const code = errorCode(cause)
  // The proxy's own words. The request never reached its server. Only an unreachable proxy is a
  // network failure (counted toward "offline"); one that answered with a refusal is up, and a
  // setting Earshot cannot use is the configuration's.
  if (code?.startsWith('EPROXY') && cause instanceof Error) {
    const kind =
      code === 'EPROXY_UNREACHABLE' ? 'network' : code === 'EPROXY_UNUSABLE' ? 'config' : 'http'
    const status = cause instanceof ProxyError ? cause.status : undefined
    return new SourceError(kind, cause.message, {
      neverSent: true,
      ...(status === undefined ? {} : { status }),
    })
  }
  // Once the answer began, the request was on the wire: whatever the code, never "never sent"
  // (a reply whose answer could not be read must not be sent twice).
  if (context.answered) return answerFailure(code, host, context.subject)
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SourceError(
        'network',
        `Could not find ${host}: check the address and the internet connection`,
        { neverSent: true },
      )
    case 'ECONNREFUSED':
      return new SourceError('network', `${host} refused the connection`, { neverSent: true })
    case 'ECONNRESET':
    case 'EPIPE':
      return new SourceError('network', `The connection to ${host} was cut off`)
    case 'ETIMEDOUT':
      return new SourceError('timeout', `${host} did not accept a connection in time`, {
        neverSent: true,
      })
    default:
      if (code !== null && isCertificateProblem(code)) {
        const why = Object.hasOwn(CERTIFICATE_WORDS, code)
          ? CERTIFICATE_WORDS[code]
          : 'was not accepted'
        return new SourceError('network', `The security certificate of ${host} ${why}`, {
          neverSent: true,
        })
      }
      // No code says how far it got; these arise before a request is on the wire.
      return new SourceError('network', `Could not reach ${host}`, { neverSent: true })
  }
}

/** What a certificate's refusal means, by the code Node's TLS gives it (OpenSSL's names). */
const CERTIFICATE_WORDS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed, so it cannot be trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'comes from an authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'comes from an authority this computer does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'could not be traced to a trusted authority (the server may not send its full chain)',
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: "is not valid yet (check this computer's date and time)",
  ERR_TLS_CERT_ALTNAME_INVALID: 'was issued for a different address',
}

function isCertificateProblem(code: string): boolean {
  return (
    Object.hasOwn(CERTIFICATE_WORDS, code) ||
    code.includes('CERT') ||
    code.includes('SSL') ||
    code.includes('TLS') ||
    code.startsWith('UNABLE_TO_')
  )
}

/** An answer that began and then could not be read to its end: it was sent, whatever the code. */
function answerFailure(code: string | null, host: string, subject: string): SourceError {
  const sent = { neverSent: false }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new SourceError('network', `The connection to ${host} was cut off`, sent)
  }
  if (code?.startsWith('Z_') || code?.startsWith('ERR__') || code?.startsWith('ERR_BROTLI')) {
    return new SourceError(
      'network',
      `${subject} sent an answer that could not be decompressed`,
      sent,
    )
  }
  return new SourceError('network', `The answer from ${host} broke off before its end`, sent)
}

function errorCode(cause: unknown): string | null {
  for (let current: unknown = cause, depth = 0; current && depth < 4; depth++) {
    if (typeof current === 'object' && 'code' in current && typeof current.code === 'string') {
      return current.code
    }
    current = typeof current === 'object' && 'cause' in current ? current.cause : null
  }
  return null
}

function seconds(ms: number): string {
  const value = Math.round(ms / 1000)
  return value === 1 ? '1 second' : `${value} seconds`
}
