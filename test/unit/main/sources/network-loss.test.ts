import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { SourceConfig, SourceHealth } from '../../../../src/shared/domain'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { createPoller, probeAddress, type Poller } from '../../../../src/main/sources/poller'
import { envProxy } from '../../../../src/main/sources/proxy'
import { rssConnector } from '../../../../src/main/sources/rss'
import { readFeedText } from '../../../fixtures/feed-server'
import { startProxy } from '../../../fixtures/proxy-server'

/* Network loss on loopback: the one server every source lives on goes away and comes back. The
   poller says it is offline, holds its polls, probes, and resumes by itself without waiting out
   the sources' backoffs. */

const feed = readFeedText('blog.rss.xml')

function feedServer(requests: string[]): Server {
  return createServer((req, res) => {
    requests.push(req.url ?? '/')
    if (req.url === '/') res.writeHead(404).end('nothing here')
    else res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feed)
  })
}

const listen = (server: Server, port = 0) =>
  new Promise<number>((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
const shut = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

const source = (id: string, port: number): SourceConfig => ({
  id,
  kind: 'rss',
  name: id,
  url: `http://127.0.0.1:${port}/${id}.xml`,
  paused: false,
  intervalSec: 3600,
  createdAt: 0,
})

let poller: Poller | null = null
let server: Server | null = null
afterEach(async () => {
  await poller?.stop()
  if (server?.listening) await shut(server)
})

describe('network loss', () => {
  it('reports offline when no source answers, holds polls, and resumes when the server is back', async () => {
    const requests: string[] = []
    server = feedServer(requests)
    const port = await listen(server)
    const network: boolean[] = []
    const health = new Map<string, SourceHealth>()
    poller = createPoller({
      connectors: { rss: rssConnector },
      http: createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 }),
      getCursor: () => undefined,
      onPolled: async () => undefined,
      onHealth: (id, h) => health.set(id, h),
      onNetwork: (offline) => network.push(offline),
      // Polls come due at once; a backoff would wait a long hour, the probe a tenth of a second.
      random: () => 0,
      backoff: { baseMs: 3_600_000, capMs: 3_600_000 },
      probe: { baseMs: 100, capMs: 200 },
    })
    const sources = [source('a', port), source('b', port)]
    poller.setSources(sources)
    // The first polls also start the parse worker.
    await expect
      .poll(() => [health.get('a')?.state, health.get('b')?.state], { timeout: 15_000 })
      .toEqual(['live', 'live'])

    await shut(server)
    await poller.pollNow('a')
    expect(network).toEqual([])
    await poller.pollNow('b')
    expect(network).toEqual([true])
    expect(health.get('a')).toMatchObject({ state: 'backing-off', consecutiveFailures: 1 })

    const before = requests.length
    server = feedServer(requests)
    await listen(server, port)
    await expect.poll(() => network, { timeout: 10_000 }).toEqual([true, false])
    // Both sources were polled again well before their hour of backoff, and are healthy.
    await expect
      .poll(() => [health.get('a')?.state, health.get('b')?.state], { timeout: 10_000 })
      .toEqual(['live', 'live'])
    expect(health.get('a')?.consecutiveFailures).toBe(0)
    const after = requests.slice(before)
    expect(after).toContain('/')
    expect(after).toEqual(expect.arrayContaining(['/a.xml', '/b.xml']))
  }, 40_000)

  it('is not offline while one source still answers', async () => {
    const requests: string[] = []
    server = feedServer(requests)
    const port = await listen(server)
    const network: boolean[] = []
    poller = createPoller({
      connectors: { rss: rssConnector },
      http: createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 }),
      getCursor: () => undefined,
      onPolled: async () => undefined,
      onNetwork: (offline) => network.push(offline),
      random: () => 0,
      backoff: { baseMs: 3_600_000, capMs: 3_600_000 },
    })
    // Port 9 on loopback: nothing listens there, so that source alone cannot be reached.
    poller.setSources([source('a', port), { ...source('gone', 9) }])
    await poller.pollNow('gone')
    await poller.pollNow('a')
    await poller.pollNow('gone')
    expect(poller.health('gone')?.state).toBe('backing-off')
    expect(network).toEqual([])
  })

  it('is not offline when the proxy answers with a refusal, only when it cannot be reached', async () => {
    const office = await startProxy({ requireAuthorization: 'Basic bm9wZQ==' })
    try {
      const behind = (proxyOrigin: string) => {
        const network: boolean[] = []
        const made = createPoller({
          connectors: { rss: rssConnector },
          http: createHttpClient({
            userAgent: userAgent('0.1.0-test'),
            timeoutMs: 5_000,
            proxy: envProxy({ http_proxy: proxyOrigin }),
          }),
          getCursor: () => undefined,
          onPolled: async () => undefined,
          onNetwork: (offline) => network.push(offline),
          random: () => 0,
          backoff: { baseMs: 3_600_000, capMs: 3_600_000 },
          probe: { baseMs: 3_600_000, capMs: 3_600_000 },
        })
        // Names only the proxy could resolve: every request goes through it.
        made.setSources(
          ['a', 'b'].map((id) => ({
            ...source(id, 1),
            kind: 'rss' as const,
            url: `http://${id}.acme.test/${id}.xml`,
          })),
        )
        return { poller: made, network }
      }
      // It asks for a login: the network is up, and each source says what the proxy wants.
      const refusing = behind(office.origin)
      poller = refusing.poller
      await poller.pollNow('a')
      await poller.pollNow('b')
      expect(refusing.network).toEqual([])
      expect(poller.health('a')?.lastError).toMatch(
        /^The proxy at .* asks for a user name and password/,
      )
      await poller.stop()

      // Nothing listens where it should be: that is as good as no network.
      const dead = behind('http://127.0.0.1:9')
      poller = dead.poller
      await poller.pollNow('a')
      await poller.pollNow('b')
      expect(dead.network).toEqual([true])
      expect(poller.health('b')?.lastError).toBe(
        'Could not reach the proxy at 127.0.0.1:9: it refused the connection',
      )
    } finally {
      await office.close()
    }
  })

  it('probes the root of a source’s origin', () => {
    expect(probeAddress(source('a', 8080))).toBe('http://127.0.0.1:8080/')
    expect(
      probeAddress({
        id: 'm',
        kind: 'mastodon',
        name: 'm',
        instance: 'https://mastodon.example/',
        hashtags: ['acme'],
        paused: false,
        intervalSec: 60,
        createdAt: 0,
      }),
    ).toBe('https://mastodon.example/')
  })
})
