import WebSocket from 'ws'
import { decideAlert } from '../src/main/alerts/policy'
import type { PollResult, StreamContext } from '../src/main/sources/connector'
import { createHttpClient, userAgent } from '../src/main/sources/http'
import { createMastodonConnector } from '../src/main/sources/mastodon'
import { memorySecrets } from '../src/main/sources/memory-secrets'
import { createTriage } from '../src/main/triage/index'
import type { Alert, BrandProfile, SourceConfig } from '../src/shared/domain'
import type { MastodonServer } from '../test/fixtures/mastodon-server'
import {
  account,
  BRAND_TOKEN,
  mentionNotification,
  startMastodonServer,
  status,
} from '../test/fixtures/mastodon-server'
import type { Figure } from './results'

/*
 * stream_to_notify_ms: from the loopback Mastodon pushing a mention over the streaming WebSocket
 * to the alert decision having produced the notification, through the real path: frame parsing,
 * normalisation, sink.deliver, triage (createTriage) and decideAlert. Median and p95 over PUSHES
 * pushes, one at a time. The baseline, in the same run and on the same server, is the bare
 * WebSocket: the same frame to a plain `ws` client that only receives it.
 */

const PUSHES = 50
const WARMUP = 5

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'mastodon', handle: '@acme' }],
  products: ['Acme Pay'],
  competitors: [],
  excluded: [],
}

const texts = [
  '@acme I was charged twice for Acme Pay and still no refund, this is a scam',
  '@acme your service has been down for hours and nobody answers, unacceptable',
  '@acme Acme Pay got hacked? my card shows an unauthorized charge',
  '@acme cancel my account now, worst support ever, I want my money back',
]

const frameFor = (n: number) => {
  const post = status(
    String(113300000000000000n + BigInt(n)),
    new Date().toISOString(),
    texts[n % texts.length] ?? '',
    [],
    { account: account(`user${n % 7}`, { id: String(5000 + (n % 7)), followers_count: 2000 }) },
  )
  return mentionNotification(String(90_000 + n), post)
}

const deadline = (ms: number) =>
  new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`No notification within ${ms} ms`)), ms).unref()
  })

function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0
  return { median: at(0.5), p95: at(0.95) }
}

/** One way, server send → a plain client's `message`, for the same frames. */
async function bareWebSocket(server: MastodonServer): Promise<number[]> {
  const url = `${server.origin.replace(/^http/, 'ws')}/api/v1/streaming`
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${BRAND_TOKEN}` } })
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  ws.send(JSON.stringify({ type: 'subscribe', stream: 'user:notification' }))
  await server.subscribed('user:notification')
  const samples: number[] = []
  for (let n = 0; n < WARMUP + PUSHES; n++) {
    const got = new Promise<number>((resolve) =>
      ws.once('message', () => resolve(performance.now())),
    )
    const start = performance.now()
    server.pushNotification(frameFor(n))
    const end = await got
    if (n >= WARMUP) samples.push(end - start)
  }
  ws.close()
  return samples
}

export async function streamToNotifyBenchmark(): Promise<{ figures: Figure[] }> {
  const server = await startMastodonServer()
  try {
    const baseline = await bareWebSocket(server)
    await new Promise((resolve) => setTimeout(resolve, 50))

    const triage = createTriage(() => profile)
    const connector = createMastodonConnector(() => profile)
    const config = {
      id: 'bench-mastodon',
      kind: 'mastodon',
      name: 'Acme on the loopback',
      instance: server.origin,
      hashtags: ['acme'],
      intervalSec: 60,
      paused: false,
      createdAt: 0,
    } satisfies SourceConfig
    let stored: PollResult['cursor'] | undefined
    let onAlert: ((alert: Alert, at: number) => void) | null = null
    let missed = 0
    let ready: () => void = () => undefined
    let lost: (reason: Error) => void = () => undefined
    const streaming = new Promise<void>((resolve, reject) => {
      ready = resolve
      lost = reject
    })
    const ctx: StreamContext = {
      http: createHttpClient({ userAgent: userAgent('bench') }),
      now: Date.now,
      secrets: memorySecrets({ accessToken: BRAND_TOKEN }),
      cursor: () => stored,
    }
    const handle = connector.stream!(config, ctx, {
      deliver: (result) => {
        stored = result.cursor
        for (const heard of result.mentions) {
          const alert = decideAlert(triage.score(heard, Date.now()))
          if (alert) onAlert?.(alert, performance.now())
          else missed++
        }
      },
      state: (state, reason) => {
        if (state === 'streaming') ready()
        else lost(new Error(`The stream was lost: ${reason ?? ''}`))
      },
    })
    await streaming
    await server.subscribed('user:notification')
    const samples: number[] = []
    try {
      for (let n = 0; n < WARMUP + PUSHES; n++) {
        const alerted = new Promise<number>((resolve) => (onAlert = (_, at) => resolve(at)))
        const start = performance.now()
        server.pushNotification(frameFor(n))
        const end = await Promise.race([alerted, streaming.then(() => deadline(10_000))])
        if (n >= WARMUP) samples.push(end - start)
      }
    } finally {
      handle.close()
    }
    if (missed > 0) throw new Error(`${missed} pushed mentions were not urgent enough to notify`)

    const notify = stats(samples)
    const bare = stats(baseline)
    const note = `${PUSHES} mention notifications pushed one at a time over the loopback WebSocket → parse → sink.deliver → triage → decideAlert; bare WebSocket delivery of the same frames: median ${bare.median.toFixed(3)} ms, p95 ${bare.p95.toFixed(3)} ms`
    return {
      figures: [
        {
          name: 'stream_to_notify_ms',
          value: notify.median,
          unit: 'ms',
          target: '< 1000',
          met: notify.median < 1000,
          note: `median; ${note}`,
        },
        {
          name: 'stream_to_notify_p95_ms',
          value: notify.p95,
          unit: 'ms',
          target: '< 1000',
          met: notify.p95 < 1000,
          note: 'p95 of the same pushes',
        },
        {
          name: 'stream_to_notify_vs_ws',
          value: notify.median / Math.max(bare.median, 0.001),
          unit: '×',
          target: 'reported',
          met: true,
          note: 'median stream-to-notification over median bare WebSocket delivery, same run',
        },
      ],
    }
  } finally {
    await server.close()
  }
}
