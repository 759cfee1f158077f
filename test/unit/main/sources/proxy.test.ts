import { readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import {
  bypassesProxy,
  envProxy,
  parsePacAnswer,
  parseProxyUrl,
  systemProxy,
  SYSTEM_PROXY_TTL_MS,
  UnusableProxyError,
} from '../../../../src/main/sources/proxy'
import { listenOnLoopback } from '../../../fixtures/loopback'
import { startProxy } from '../../../fixtures/proxy-server'
import { failure } from '../../../fixtures/source-failure'

/* Offices that allow the web only through a proxy: the environment's proxy (as curl reads it) or
   the system's (Chromium's answer in Electron), spoken to over loopback. */

const FEED = '<rss><channel><title>Acme news</title></channel></rss>'
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** A plain feed server; `seen` keeps each request's headers. */
async function feedServer(): Promise<{ port: number; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = []
  const server = createServer((request, response) => {
    seen.push(request.headers)
    response.writeHead(200, { 'content-type': 'application/rss+xml' })
    response.end(FEED)
  })
  const listening = await listenOnLoopback(server)
  closers.push(listening.close)
  return { port: Number(new URL(listening.origin).port), seen }
}

/** An https server with the test-only self-signed certificate. */
async function secureServer(): Promise<number> {
  const tls = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'tls')
  const server = createHttpsServer(
    {
      key: readFileSync(join(tls, 'self-signed-127.0.0.1.key.pem')),
      cert: readFileSync(join(tls, 'self-signed-127.0.0.1.cert.pem')),
    },
    (_request, response) => response.end(FEED),
  )
  const listening = await listenOnLoopback(server)
  closers.push(listening.close)
  return Number(new URL(listening.origin).port)
}

async function proxy(options: Parameters<typeof startProxy>[0] = {}) {
  const started = await startProxy(options)
  closers.push(started.close)
  return started
}

const through = (env: Record<string, string>) =>
  createHttpClient({ userAgent: userAgent('0.1.0-test'), proxy: envProxy(env) })

/** A port nothing listens on: a server opened and closed again. */
async function deadPort(): Promise<number> {
  const listening = await listenOnLoopback(createServer())
  await listening.close()
  return Number(new URL(listening.origin).port)
}

describe('the proxy settings', () => {
  it('reads a proxy address with or without a scheme, keeping the login out of its label', () => {
    const withLogin = parseProxyUrl(
      'http://ann%40acme:s3cr%3At@proxy.acme.test:3128',
      'HTTPS_PROXY',
    )
    expect(withLogin).toEqual({
      host: 'proxy.acme.test',
      port: 3128,
      authorization: `Basic ${Buffer.from('ann@acme:s3cr:t').toString('base64')}`,
      label: 'proxy.acme.test:3128',
      setting: 'HTTPS_PROXY',
    })
    expect(parseProxyUrl('proxy.acme.test:8080', 'http_proxy')).toMatchObject({
      host: 'proxy.acme.test',
      port: 8080,
      authorization: null,
    })
    expect(parseProxyUrl('http://[::1]:3128', 'http_proxy')).toMatchObject({ host: '::1' })
  })

  it('refuses proxies it cannot speak to in words that never show the password', () => {
    let error: unknown
    try {
      parseProxyUrl('socks5://ann:hunter2@socks.acme.test:1080', 'ALL_PROXY')
    } catch (cause) {
      error = cause
    }
    expect(error).toBeInstanceOf(UnusableProxyError)
    const words = (error as Error).message
    expect(words).toBe(
      'The proxy set in ALL_PROXY (socks5://socks.acme.test:1080) is a SOCKS5 proxy; Earshot speaks only to HTTP proxies (http://host:port)',
    )
    expect(words).not.toContain('hunter2')
    expect(() => parseProxyUrl('http://ann:100%off@proxy.acme.test:3128', 'https_proxy')).toThrow(
      'The user name or password of the proxy set in https_proxy (proxy.acme.test:3128) is not written correctly',
    )
  })

  it.each([
    ['*', 'https://anything.example/', true],
    ['acme.test', 'https://acme.test/', true],
    ['acme.test', 'https://feeds.acme.test/', true],
    ['.acme.test', 'https://feeds.acme.test/', true],
    ['acme.test', 'https://notacme.test/', false],
    ['acme.test:8443', 'https://acme.test:8443/', true],
    ['acme.test:8443', 'https://acme.test/', false],
    ['10.0.0.0/8', 'http://10.20.30.40/', true],
    ['10.0.0.0/8', 'http://11.0.0.1/', false],
    ['127.0.0.1', 'http://127.0.0.1:9000/', true],
    ['[::1]', 'http://[::1]:9000/', true],
    ['localhost, 127.0.0.1', 'http://localhost/', true],
    ['', 'https://acme.test/', false],
  ])('no_proxy %j sends %s direct: %s', (list, url, direct) => {
    expect(bypassesProxy(list, new URL(url))).toBe(direct)
  })

  it('takes https_proxy for https and wss, http_proxy for http and ws, all_proxy for either', () => {
    const resolve = envProxy({
      https_proxy: 'http://secure.proxy.test:1',
      HTTPS_PROXY: 'http://ignored.proxy.test:1',
      http_proxy: 'http://plain.proxy.test:2',
      no_proxy: 'intranet.acme.test',
    })
    const host = (url: string) => (resolve(new URL(url)) as { host: string } | null)?.host ?? null
    expect(host('https://mastodon.social/api')).toBe('secure.proxy.test')
    expect(host('wss://mastodon.social/api/v1/streaming')).toBe('secure.proxy.test')
    expect(host('http://blog.acme.test/feed')).toBe('plain.proxy.test')
    expect(host('ws://blog.acme.test/stream')).toBe('plain.proxy.test')
    expect(host('https://intranet.acme.test/feed')).toBeNull()
    const all = envProxy({ ALL_PROXY: 'http://all.proxy.test:3' })
    expect((all(new URL('https://x.test/')) as { host: string }).host).toBe('all.proxy.test')
    expect(envProxy({})(new URL('https://x.test/'))).toBeNull()
  })

  it("reads the system's answer, taking the first proxy it can speak to", () => {
    expect(parsePacAnswer('DIRECT')).toBeNull()
    expect(parsePacAnswer('PROXY office.proxy.test:8080; DIRECT')).toMatchObject({
      host: 'office.proxy.test',
      port: 8080,
    })
    expect(parsePacAnswer('SOCKS5 socks.test:1080; PROXY b.proxy.test:3128')).toMatchObject({
      host: 'b.proxy.test',
    })
    expect(parsePacAnswer('SOCKS5 socks.test:1080; DIRECT')).toBeNull()
    expect(() => parsePacAnswer('HTTPS tls.proxy.test:443')).toThrow(
      "The system's proxy settings offer only HTTPS tls.proxy.test:443; Earshot speaks only to HTTP proxies",
    )
  })

  it('asks the system once a minute per origin, lets the environment win, and goes direct when it cannot answer', async () => {
    let asked = 0
    let clock = 0
    const resolve = systemProxy(
      async () => {
        asked++
        return 'PROXY office.proxy.test:8080'
      },
      {},
      () => clock,
    )
    await resolve(new URL('https://mastodon.social/a'))
    await resolve(new URL('https://mastodon.social/b'))
    expect(asked).toBe(1)
    await resolve(new URL('https://bsky.social/'))
    expect(asked).toBe(2)
    clock += SYSTEM_PROXY_TTL_MS
    expect(await resolve(new URL('https://mastodon.social/c'))).toMatchObject({
      host: 'office.proxy.test',
    })
    expect(asked).toBe(3)

    const fromEnv = systemProxy(async () => 'PROXY office.proxy.test:8080', {
      https_proxy: 'http://env.proxy.test:1',
    })
    expect(await fromEnv(new URL('https://x.test/'))).toMatchObject({ host: 'env.proxy.test' })

    const broken = systemProxy(() => Promise.reject(new Error('no network service')), {})
    expect(await broken(new URL('https://x.test/'))).toBeNull()
  })
})

describe('requests through a proxy', () => {
  it('sends plain http to the proxy with the whole address and its login, and the feed arrives', async () => {
    const feeds = await feedServer()
    const office = await proxy({
      requireAuthorization: `Basic ${Buffer.from('ann:pw').toString('base64')}`,
    })
    const client = through({ http_proxy: `http://ann:pw@${office.hostPort}` })
    const response = await client.get(`http://feeds.acme.test:${feeds.port}/feed`)
    expect(response.body).toBe(FEED)
    expect(office.log.requests).toEqual([`GET http://feeds.acme.test:${feeds.port}/feed`])
    // The server sees its own name, and never the proxy's login.
    expect(feeds.seen[0]?.host).toBe(`feeds.acme.test:${feeds.port}`)
    expect(feeds.seen[0]?.['proxy-authorization']).toBeUndefined()
  })

  it('keeps the connection to the proxy for the next request', async () => {
    const feeds = await feedServer()
    const office = await proxy()
    const client = through({ http_proxy: office.origin })
    await client.get(`http://feeds.acme.test:${feeds.port}/a`)
    await client.get(`http://feeds.acme.test:${feeds.port}/b`)
    expect(office.log.requests).toHaveLength(2)
    expect(office.log.connections).toBe(1)
  })

  it('tunnels https with CONNECT: the TLS handshake is with the server itself', async () => {
    const port = await secureServer()
    const office = await proxy()
    const client = through({ https_proxy: office.origin })
    // The certificate is self-signed: only the real server, reached through the tunnel, has it.
    const error = await failure(client.get(`https://secure.acme.test:${port}/feed`))
    expect(error.message).toContain(`The security certificate of secure.acme.test:${port}`)
    expect(office.log.requests).toEqual([`CONNECT secure.acme.test:${port}`])
  })

  it("goes direct to this computer's own servers, as browsers do, whatever the settings", async () => {
    const feeds = await feedServer()
    const office = await proxy()
    const client = through({ http_proxy: office.origin, https_proxy: office.origin })
    const response = await client.get(`http://127.0.0.1:${feeds.port}/feed`)
    expect(response.body).toBe(FEED)
    expect(office.log.requests).toEqual([])
    const resolve = envProxy({ all_proxy: office.origin })
    for (const url of [
      'http://localhost:1/',
      'https://app.localhost/',
      'http://127.8.9.1/',
      'http://[::1]:80/',
    ]) {
      expect(resolve(new URL(url))).toBeNull()
    }
    expect(resolve(new URL('http://128.0.0.1/'))).not.toBeNull()
  })

  it.each(['http', 'https'])(
    'says when the proxy cannot be reached (%s), and that nothing was sent',
    async (scheme) => {
      const port = await deadPort()
      const client = through({ [`${scheme}_proxy`]: `http://127.0.0.1:${port}` })
      const error = await failure(client.get(`${scheme}://feeds.acme.test/feed`))
      expect(error.message).toBe(
        `Could not reach the proxy at 127.0.0.1:${port}: it refused the connection`,
      )
      expect(error.kind).toBe('network')
      expect(error.details.neverSent).toBe(true)
    },
  )

  it.each(['http', 'https'])(
    'says when the proxy wants a login (%s), and how to give it',
    async (scheme) => {
      const office = await proxy({ requireAuthorization: 'Basic bm9wZQ==' })
      const client = through({ [`${scheme}_proxy`]: office.origin })
      const error = await failure(client.get(`${scheme}://feeds.acme.test:1/feed`))
      expect(error.message).toBe(
        `The proxy at ${office.hostPort} asks for a user name and password (407 Proxy Authentication Required); give them in ${scheme}_proxy, as http://user:password@${office.hostPort}`,
      )
      // The proxy answered: a refusal, not a lost network.
      expect(error.kind).toBe('http')
      expect(error.details).toMatchObject({ status: 407, neverSent: true })
    },
  )

  it("says how to give a login when the system's settings named the proxy", async () => {
    const office = await proxy({ requireAuthorization: 'Basic bm9wZQ==' })
    const system = systemProxy(() => Promise.resolve(`PROXY ${office.hostPort}`), {})
    const client = createHttpClient({ userAgent: userAgent('0.1.0-test'), proxy: system })
    const error = await failure(client.get('https://feeds.acme.test:1/feed'))
    expect(error.message).toBe(
      `The proxy at ${office.hostPort} asks for a user name and password (407 Proxy Authentication Required), which Earshot cannot take from the system's settings; start Earshot with https_proxy and http_proxy set to http://user:password@${office.hostPort}`,
    )
  })

  it('says when the proxy refuses the login given, without repeating the password', async () => {
    const office = await proxy({ requireAuthorization: 'Basic bm9wZQ==' })
    const client = through({ https_proxy: `http://ann:hunter2@${office.hostPort}` })
    const error = await failure(client.get('https://feeds.acme.test:1/feed'))
    expect(error.message).toBe(
      `The proxy at ${office.hostPort} did not accept Earshot's user name and password (407 Proxy Authentication Required)`,
    )
    expect(JSON.stringify(error)).not.toContain('hunter2')
    expect(error.message).not.toContain('ann')
  })

  it('says when the proxy will not open a tunnel to a host', async () => {
    const office = await proxy({ refuseConnect: 403 })
    const client = through({ https_proxy: office.origin })
    const error = await failure(client.get('https://mastodon.acme.test:8443/api'))
    expect(error.message).toBe(
      `The proxy at ${office.hostPort} would not connect to mastodon.acme.test:8443 (403 Forbidden)`,
    )
    expect(error.kind).toBe('http')
    expect(error.details).toMatchObject({ status: 403, neverSent: true })
  })

  it('refuses a SOCKS proxy in words, sending nothing anywhere', async () => {
    const client = through({ all_proxy: 'socks5://127.0.0.1:1' })
    const error = await failure(client.get('https://feeds.acme.test/feed'))
    expect(error.message).toContain('is a SOCKS5 proxy; Earshot speaks only to HTTP proxies')
    expect(error.kind).toBe('config')
    expect(error.details.neverSent).toBe(true)
  })

  it('carries a live WebSocket stream through a tunnel', async () => {
    const server = createServer()
    const sockets = new WebSocketServer({ server })
    sockets.on('connection', (socket) => socket.send('{"event":"update"}'))
    const listening = await listenOnLoopback(server)
    closers.push(async () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      await listening.close()
    })
    const office = await proxy()
    const client = through({ http_proxy: office.origin })
    const url = `ws://stream.acme.test:${new URL(listening.origin).port}/api/v1/streaming`
    const agent = await client.agentFor?.(url)
    expect(agent).toBeDefined()
    const ws = new WebSocket(url, agent ? { agent } : {})
    const first = await new Promise<string>((resolve, reject) => {
      ws.once('message', (data) =>
        resolve(Buffer.isBuffer(data) ? data.toString('utf8') : 'binary'),
      )
      ws.once('error', reject)
    })
    ws.terminate()
    expect(first).toBe('{"event":"update"}')
    expect(office.log.requests).toEqual([
      `CONNECT stream.acme.test:${new URL(listening.origin).port}`,
    ])
    // Without a proxy for it, the stream goes direct.
    expect(
      await through({ no_proxy: '*', http_proxy: office.origin }).agentFor?.(url),
    ).toBeUndefined()
  })
})
