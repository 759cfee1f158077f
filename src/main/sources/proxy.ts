/* Which proxy a request goes through. Offices often allow the web only through a proxy; without
   one, every source would read "Could not reach …". Two ways to name it:
   - the environment, as curl and most tools read it: `https_proxy`, `http_proxy`, `all_proxy` and
     `no_proxy` (either case), so the CLI, the web host and a launched app all honour it;
   - in Electron, the system's own setting (including a PAC script), through Chromium's resolver,
     when the environment names none.
   Only plain HTTP proxies are spoken to (CONNECT for https and WebSockets, absolute addresses for
   plain http). A proxy's user and password go in its Proxy-Authorization header and nowhere else:
   words and logs name a proxy by its host and port alone. */
import { BlockList, isIP } from 'node:net'

export type ProxyServer = {
  host: string
  port: number
  /** `Basic …` when the proxy's address carried a user; never logged or shown. */
  authorization: string | null
  /** host:port, for words and logs. */
  label: string
  /** The environment variable that named it (`https_proxy` …), or null for the system's settings. */
  setting: string | null
}

/** A proxy setting that names a kind Earshot does not speak (SOCKS, TLS to the proxy). */
export class UnusableProxyError extends Error {
  readonly code = 'EPROXY_UNUSABLE'
}

/**
 * The proxy could not be reached, or would not carry a request. The message is in words for the
 * responder and names the proxy by host and port only; the request never reached its server.
 */
export class ProxyError extends Error {
  constructor(
    readonly code: 'EPROXY_UNREACHABLE' | 'EPROXY_AUTH' | 'EPROXY_REFUSED',
    message: string,
    /** The proxy's answer, when it gave one (407, 403, 502 …). */
    readonly status?: number,
  ) {
    super(message)
  }
}

const UNREACHABLE_WHY: Record<string, string> = {
  ECONNREFUSED: 'it refused the connection',
  ENOTFOUND: 'its name was not found',
  EAI_AGAIN: 'its name was not found',
  ETIMEDOUT: 'it did not answer',
  ECONNRESET: 'it cut the connection off',
  EHOSTUNREACH: 'there is no route to it',
  ENETUNREACH: 'there is no network',
}

/** The proxy itself could not be reached (the cause's code says how, when it has one). */
export function proxyUnreachable(proxy: ProxyServer, cause: unknown): ProxyError {
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : ''
  const why = Object.hasOwn(UNREACHABLE_WHY, code) ? `: ${UNREACHABLE_WHY[code]}` : ''
  return new ProxyError('EPROXY_UNREACHABLE', `Could not reach the proxy at ${proxy.label}${why}`)
}

/** The proxy answered a request for `target` (host:port) with `status` instead of carrying it. */
export function proxyRefusal(
  proxy: ProxyServer,
  target: string,
  status: number,
  statusText: string,
): ProxyError {
  const line = `${status}${statusText ? ` ${statusText}` : ''}`
  if (status === 407) {
    const login = `http://user:password@${proxy.label}`
    // Where the login can go: the variable that named the proxy, or one set before starting,
    // since Earshot cannot take a login from the system's settings.
    const words = proxy.authorization
      ? `The proxy at ${proxy.label} did not accept Earshot's user name and password (${line})`
      : proxy.setting
        ? `The proxy at ${proxy.label} asks for a user name and password (${line}); give them in ${proxy.setting}, as ${login}`
        : `The proxy at ${proxy.label} asks for a user name and password (${line}), which Earshot cannot take from the system's settings; start Earshot with https_proxy and http_proxy set to ${login}`
    return new ProxyError('EPROXY_AUTH', words, status)
  }
  return new ProxyError(
    'EPROXY_REFUSED',
    `The proxy at ${proxy.label} would not connect to ${target} (${line})`,
    status,
  )
}

/** The proxy for one address, or null to go direct. Throws `UnusableProxyError`. */
export type ProxyResolver = (url: URL) => ProxyServer | null | Promise<ProxyServer | null>

export const directOnly: ProxyResolver = () => null

type Env = Record<string, string | undefined>

/** The first of `names` set (non-empty) in `env`, lower case first as curl reads them. */
function first(env: Env, names: string[]): { name: string; value: string } | null {
  for (const name of names) {
    const value = env[name]?.trim()
    if (value) return { name, value }
  }
  return null
}

/**
 * A proxy address as the environment writes it: `http://user:pass@host:port`, or `host:port`
 * without a scheme. Throws `UnusableProxyError` (naming only scheme and host) for other kinds.
 */
export function parseProxyUrl(
  value: string,
  where: string,
  setting: string | null = where,
): ProxyServer {
  const written = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(written)
  } catch {
    throw new UnusableProxyError(`The proxy set in ${where} is not an address Earshot can read`)
  }
  if (url.protocol !== 'http:') {
    const kind = url.protocol.slice(0, -1).toUpperCase()
    throw new UnusableProxyError(
      `The proxy set in ${where} (${url.protocol}//${url.host}) is a ${kind} proxy; Earshot speaks only to HTTP proxies (http://host:port)`,
    )
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = url.port === '' ? 80 : Number(url.port)
  let login: { user: string; password: string }
  try {
    login = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
  } catch {
    throw new UnusableProxyError(
      `The user name or password of the proxy set in ${where} (${url.host}) is not written correctly: characters such as @ : / % must be written as %40 %3A %2F %25`,
    )
  }
  const authorization =
    login.user === ''
      ? null
      : `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`
  return { host, port, authorization, label: url.host, setting }
}

/**
 * Whether `no_proxy` sends `url` direct: `*`; a name, which covers its subdomains too (with or
 * without a leading dot); an IP address or an IPv4/IPv6 range (CIDR); each optionally with a port.
 */
export function bypassesProxy(noProxy: string, url: URL): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  const port =
    url.port === ''
      ? url.protocol === 'https:' || url.protocol === 'wss:'
        ? 443
        : 80
      : Number(url.port)
  const family = isIP(host)
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase()
    if (entry === '') continue
    if (entry === '*') return true
    let entryPort: number | null = null
    const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry)
    if (withPort && withPort[1] && withPort[2]) {
      entry = withPort[1]
      entryPort = Number(withPort[2])
    }
    if (entryPort !== null && entryPort !== port) continue
    entry = entry.replace(/^\[(.*)\]$/, '$1')
    const [base, bits] = entry.split('/')
    if (base && isIP(base) !== 0) {
      if (family === 0) continue
      if (bits === undefined) {
        if (base === host) return true
        continue
      }
      const list = new BlockList()
      const type = isIP(base) === 4 ? 'ipv4' : 'ipv6'
      try {
        list.addSubnet(base, Number(bits), type)
      } catch {
        continue
      }
      if (list.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true
      continue
    }
    const name = entry.replace(/^\*?\./, '')
    if (name !== '' && (host === name || host.endsWith(`.${name}`))) return true
  }
  return false
}

/**
 * This computer's own servers (`localhost`, 127.0.0.0/8, ::1) go direct, as Chromium and Go's
 * client do whatever the settings say: a proxy elsewhere cannot reach them.
 */
export function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    (isIP(host) === 4 && host.startsWith('127.'))
  )
}

/**
 * The proxy the environment names, per scheme: https and wss take `https_proxy`, http and ws take
 * `http_proxy`, both fall back to `all_proxy`; `no_proxy` lists what goes direct, besides loopback.
 * Read once.
 */
export function envProxy(env: Env = process.env): ProxyResolver {
  const forHttps = first(env, ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'])
  const forHttp = first(env, ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'])
  if (!forHttps && !forHttp) return directOnly
  const noProxy = first(env, ['no_proxy', 'NO_PROXY'])?.value ?? ''
  // Parsed on first use, so a bad setting fails the requests it would carry, in words.
  const parsed = new Map<string, ProxyServer>()
  const server = (setting: { name: string; value: string }) => {
    const known = parsed.get(setting.name)
    if (known) return known
    const made = parseProxyUrl(setting.value, setting.name)
    parsed.set(setting.name, made)
    return made
  }
  return (url) => {
    const secure = url.protocol === 'https:' || url.protocol === 'wss:'
    const setting = secure ? forHttps : forHttp
    if (!setting || isLoopback(url) || bypassesProxy(noProxy, url)) return null
    return server(setting)
  }
}

/**
 * Reads Chromium's answer for one address ("PROXY a:8080; DIRECT"): the first entry Earshot can
 * use, in order; null for DIRECT. Throws `UnusableProxyError` when only other kinds are offered.
 */
export function parsePacAnswer(answer: string): ProxyServer | null {
  const offered: string[] = []
  for (const part of answer.split(';')) {
    const [kind = '', where = ''] = part.trim().split(/\s+/)
    const type = kind.toUpperCase()
    if (type === '') continue
    if (type === 'DIRECT') return null
    if (type === 'PROXY' && where !== '') {
      return parseProxyUrl(where, "the system's proxy settings", null)
    }
    offered.push(`${type} ${where}`.trim())
  }
  if (offered.length === 0) return null
  throw new UnusableProxyError(
    `The system's proxy settings offer only ${offered.join(', ')}; Earshot speaks only to HTTP proxies`,
  )
}

/** How long the system's answer for one origin is reused: PAC scripts can change with networks. */
export const SYSTEM_PROXY_TTL_MS = 60_000

/**
 * The environment's proxy when it names one, else the system's (Chromium's resolver, given as
 * `resolve`), remembered per origin for a minute. A resolver that fails means going direct.
 */
export function systemProxy(
  resolve: (url: string) => Promise<string>,
  env: Env = process.env,
  now: () => number = Date.now,
): ProxyResolver {
  const fromEnv = envProxy(env)
  if (fromEnv !== directOnly) return fromEnv
  const remembered = new Map<string, { at: number; answer: string }>()
  return async (url) => {
    const origin = url.origin
    const hit = remembered.get(origin)
    if (hit && now() - hit.at < SYSTEM_PROXY_TTL_MS) return parsePacAnswer(hit.answer)
    let answer = 'DIRECT'
    try {
      // The origin only: the answer is kept per origin, and a path can carry a secret (a Google
      // Alerts feed's token) that a PAC script has no business seeing.
      answer = await resolve(`${origin}/`)
    } catch {
      // No answer from the resolver: go direct, as Chromium does when a PAC script fails.
    }
    if (remembered.size > 500) remembered.clear()
    remembered.set(origin, { at: now(), answer })
    return parsePacAnswer(answer)
  }
}
