import { describe, expect, it } from 'vitest'
import type { HeardMention, SourceConfig, SourceHealth } from '../../../../src/shared/domain'
import type { Connector, PollResult, SourceCursor } from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent, type HttpClient } from '../../../../src/main/sources/http'
import type { PollerOptions } from '../../../../src/main/sources/poller'
import {
  COOL_DOWN_JITTER,
  DEFAULT_BACKOFF,
  DEFAULT_BREAKER,
  OVERLAP_MAX_BYTES,
  START_SPACING_MS,
  backoffDelay,
  createPoller,
  nextDelay,
  staggerDelays,
} from '../../../../src/main/sources/poller'
import { seeded } from '../../../fixtures/seeded'

/** Lets every pending promise chain settle (the poller awaits the connector, then onPolled). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** A virtual clock with injectable timers; `advance` fires due timers in order. */
function fakeClock(start = 1_790_000_000_000) {
  let time = start
  let nextId = 1
  const timers = new Map<number, { at: number; fire: () => void }>()
  return {
    now: () => time,
    setTimer: (fire: () => void, ms: number) => {
      const id = nextId++
      timers.set(id, { at: time + ms, fire })
      return id
    },
    clearTimer: (handle: unknown) => void timers.delete(handle as number),
    pending: () => timers.size,
    async advance(ms: number) {
      const end = time + ms
      for (let guard = 0; guard < 100_000; guard++) {
        let due: [number, { at: number; fire: () => void }] | undefined
        for (const timer of timers) {
          if (timer[1].at <= end && (!due || timer[1].at < due[1].at)) due = timer
        }
        if (!due) break
        timers.delete(due[0])
        time = due[1].at
        due[1].fire()
        await settle()
      }
      time = end
      await settle()
    },
  }
}

type Call = { id: string; at: number; cursor: SourceCursor | undefined }
type Behaviour = (config: SourceConfig, cursor: SourceCursor | undefined, n: number) => PollResult

const ok = (mentions: HeardMention[] = [], cursor: SourceCursor = {}): PollResult => ({
  mentions,
  cursor,
  notModified: false,
})

function fakeConnector(clock: { now: () => number }, behaviour: Behaviour = () => ok()) {
  const calls: Call[] = []
  const connector: Connector = {
    kind: 'rss',
    poll(config, cursor) {
      calls.push({ id: config.id, at: clock.now(), cursor })
      const n = calls.filter((c) => c.id === config.id).length
      try {
        return Promise.resolve(behaviour(config, cursor, n))
      } catch (cause) {
        return Promise.reject(cause instanceof Error ? cause : new Error(String(cause)))
      }
    },
  }
  return { connector, calls, of: (id: string) => calls.filter((c) => c.id === id).map((c) => c.at) }
}

type RssConfig = Extract<SourceConfig, { kind: 'rss' }>
const feed = (id: string, extra: Partial<RssConfig> = {}): SourceConfig => ({
  id,
  kind: 'rss',
  name: id,
  url: `https://${id}.example/feed`,
  paused: false,
  intervalSec: 600,
  createdAt: 0,
  ...extra,
})

const mention = (id: string, at: number): HeardMention => ({
  id,
  sourceId: 's',
  platform: 'rss',
  url: null,
  author: { id: 'a', name: 'A' },
  text: id,
  createdAt: at,
  fetchedAt: at,
})

function setup(
  behaviour?: Behaviour,
  overrides: Partial<PollerOptions> = {},
  random: () => number = seeded(7),
) {
  const clock = fakeClock()
  const fake = fakeConnector(clock, behaviour)
  const health = new Map<string, SourceHealth>()
  const cursors = new Map<string, SourceCursor>()
  const poller = createPoller({
    connectors: {
      rss: fake.connector,
      demo: fake.connector,
      hn: fake.connector,
      mastodon: fake.connector,
    },
    http: createHttpClient({ userAgent: userAgent('test') }),
    now: clock.now,
    random,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    getCursor: (id) => cursors.get(id),
    onHealth: (id, next) => void health.set(id, next),
    onPolled: (source, result) => {
      cursors.set(source.id, result.cursor)
      return Promise.resolve()
    },
    ...overrides,
  })
  return { clock, poller, health, cursors, ...fake }
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0))
const MIN = 60_000

describe('pure timing rules', () => {
  it('nextDelay stays within ±15% of the interval', () => {
    expect(nextDelay(600, () => 0)).toBe(510_000)
    expect(nextDelay(600, () => 0.5)).toBe(600_000)
    expect(nextDelay(600, () => 1)).toBe(690_000)
  })

  it('backoffDelay doubles its ceiling per failure up to the cap', () => {
    const top = () => 0.999999
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((f) =>
      Math.round(backoffDelay(f, top) / 1000),
    )
    expect(ceilings).toEqual([30, 60, 120, 240, 480, 960, 1800, 1800, 1800])
    expect(backoffDelay(3, () => 0)).toBe(0)
  })

  it('backoffDelay uses full jitter: anywhere from zero to the ceiling', () => {
    const random = seeded(42)
    const samples = Array.from({ length: 1000 }, () => backoffDelay(5, random))
    const ceiling = DEFAULT_BACKOFF.baseMs * 16
    expect(Math.min(...samples)).toBeLessThan(ceiling * 0.05)
    expect(Math.max(...samples)).toBeGreaterThan(ceiling * 0.95)
    expect(Math.max(...samples)).toBeLessThanOrEqual(ceiling)
  })

  it('staggerDelays gives each source its own slot in the window', () => {
    const delays = staggerDelays(10, 50_000, seeded(1))
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(i * 5_000)
      expect(delay).toBeLessThan((i + 1) * 5_000)
    })
  })
})

describe('createPoller', () => {
  it('polls each source at its interval, with jitter', async () => {
    const { clock, poller, of } = setup()
    poller.setSources([feed('a')])
    await clock.advance(4 * 3600_000)
    const times = of('a')
    expect(times.length).toBeGreaterThan(20)
    for (const gap of gaps(times)) {
      expect(gap).toBeGreaterThanOrEqual(510_000)
      expect(gap).toBeLessThanOrEqual(690_000)
    }
    expect(new Set(gaps(times)).size).toBeGreaterThan(5)
    expect(poller.health('a')).toMatchObject({ state: 'live', consecutiveFailures: 0 })
  })

  it("shows a connector's note with a live source until the connector clears it", async () => {
    const notes: (string | null | undefined)[] = ['Part refused; the rest works', undefined, null]
    const { clock, poller } = setup((_config, _cursor, n) => {
      const note = notes[n - 1]
      return note === undefined ? ok() : { ...ok(), note }
    })
    poller.setSources([feed('a', { intervalSec: 60 })])
    await clock.advance(10_000)
    expect(poller.health('a')).toMatchObject({
      state: 'live',
      note: 'Part refused; the rest works',
    })
    await clock.advance(70_000)
    // A poll that says nothing about it leaves the note alone.
    expect(poller.health('a')?.note).toBe('Part refused; the rest works')
    await clock.advance(70_000)
    expect(poller.health('a')?.note).toBeNull()
  })

  it('spreads the first polls of many sources instead of firing them together', async () => {
    const { clock, poller, calls } = setup()
    poller.setSources(Array.from({ length: 10 }, (_v, i) => feed(`s${i}`)))
    await clock.advance(MIN)
    const starts = calls.map((c) => c.at).sort((a, b) => a - b)
    expect(starts).toHaveLength(10)
    expect(new Set(starts).size).toBe(10)
    expect(Math.min(...gaps(starts))).toBeGreaterThan(0)
  })

  it('respects a saved next-check time', async () => {
    const clock0 = fakeClock().now()
    const { clock, poller, of } = setup(undefined, { getNextCheckAt: () => clock0 + 5 * MIN })
    poller.setSources([feed('a')])
    expect(poller.health('a')?.nextCheckAt).toBe(clock0 + 5 * MIN)
    await clock.advance(5 * MIN - 1)
    expect(of('a')).toHaveLength(0)
    await clock.advance(1)
    expect(of('a')).toHaveLength(1)
  })

  it('backs off with growing delays, then resets after a success', async () => {
    const failAt = new Set([1, 2, 3, 4, 6])
    const { clock, poller, of, health } = setup(
      (_c, _cur, n) => {
        if (failAt.has(n))
          throw new SourceError('http', 'The feed answered 500 Internal Server Error')
        return ok()
      },
      {},
      () => 0.99,
    )
    poller.setSources([feed('a', { intervalSec: 3600 })])
    // A lone new source starts within the first few seconds.
    await clock.advance(5_000)
    expect(health.get('a')).toMatchObject({
      state: 'backing-off',
      consecutiveFailures: 1,
      lastError: 'The feed answered 500 Internal Server Error',
    })
    await clock.advance(3 * 3600_000)
    const retries = gaps(of('a'))
    // Failures 1–4 wait 0.99 × 30 s, 60 s, 120 s, 240 s; then a regular hour; then 30 s again.
    expect(retries.slice(0, 4)).toEqual([29_700, 59_400, 118_800, 237_600])
    expect(retries[4]).toBeGreaterThan(50 * MIN)
    expect(retries[5]).toBe(29_700)
    expect(health.get('a')).toMatchObject({ state: 'live', consecutiveFailures: 0 })
  })

  it('does not retry 100 failing sources in lockstep', async () => {
    const outageAt = fakeClock().now() + 10_000
    const { clock, poller, calls } = setup(
      () => {
        throw new SourceError('network', 'Could not reach the server')
      },
      // All 100 were due at the same moment (saved before a restart) and all fail together.
      { maxConcurrent: 100, getNextCheckAt: () => outageAt },
      seeded(2026),
    )
    poller.setSources(Array.from({ length: 100 }, (_v, i) => feed(`f${i}`, { intervalSec: 60 })))
    await clock.advance(10_000)
    expect(calls.filter((c) => c.at === outageAt)).toHaveLength(100)
    await clock.advance(60 * MIN)
    const retries = calls.filter((c) => c.at > outageAt)
    const perSecond = new Map<number, number>()
    for (const call of retries) {
      const second = Math.floor(call.at / 1000)
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    }
    expect(retries.length).toBeGreaterThan(300)
    // In lockstep all 100 would retry in the same second; spread out, no second sees many.
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(15)
    expect(perSecond.size).toBeGreaterThan(retries.length / 2)
  })

  it('waits as long as Retry-After asks, even beyond the backoff', async () => {
    const { clock, poller, of, health } = setup((_c, _cur, n) => {
      if (n === 1) {
        throw new SourceError('rate-limited', 'The feed asked Earshot to slow down', {
          status: 429,
          retryAfterMs: 2 * 3600_000,
        })
      }
      return ok()
    })
    poller.setSources([feed('a', { intervalSec: 60 })])
    await clock.advance(MIN)
    expect(of('a')).toHaveLength(1)
    const failedAt = of('a')[0] ?? 0
    expect(health.get('a')?.nextCheckAt).toBeGreaterThanOrEqual(failedAt + 2 * 3600_000)
    await clock.advance(2 * 3600_000 - 2 * MIN)
    expect(of('a')).toHaveLength(1)
    await clock.advance(2 * MIN)
    expect(of('a')).toHaveLength(2)
    expect(health.get('a')?.state).toBe('live')
  })

  it('honours a longer pause asked for by the source', async () => {
    const { clock, poller, of } = setup(() => ({ ...ok(), minDelayMs: 3 * 3600_000 }))
    poller.setSources([feed('a', { intervalSec: 60 })])
    await clock.advance(3 * 3600_000)
    expect(of('a')).toHaveLength(1)
    await clock.advance(10 * MIN)
    expect(of('a')).toHaveLength(2)
  })

  it('never polls a paused source, and resumes soon after unpausing', async () => {
    const { clock, poller, of } = setup()
    poller.setSources([feed('a', { paused: true })])
    await clock.advance(3600_000)
    expect(of('a')).toHaveLength(0)
    expect(poller.health('a')).toMatchObject({ state: 'paused', nextCheckAt: null })
    await poller.pollNow('a')
    expect(of('a')).toHaveLength(0)
    poller.setSources([feed('a')])
    await clock.advance(MIN)
    expect(of('a')).toHaveLength(1)
    poller.setSources([feed('a', { paused: true })])
    await clock.advance(3600_000)
    expect(of('a')).toHaveLength(1)
    expect(poller.health('a')?.state).toBe('paused')
  })

  it('keeps the cursor when saving the batch fails, so nothing is lost', async () => {
    let failSave = true
    const delivered: string[] = []
    const cursors = new Map<string, SourceCursor>()
    const { clock, poller, health } = setup(
      (_c, cursor, _n) => {
        const next = typeof cursor?.['n'] === 'number' ? cursor['n'] : 0
        return ok([mention(`m${next}`, 0)], { n: next + 1 })
      },
      {
        getCursor: (id) => cursors.get(id),
        onPolled: (source, result) => {
          if (failSave) {
            failSave = false
            return Promise.reject(new Error('ENOSPC: no space left on device'))
          }
          delivered.push(...result.mentions.map((m) => m.id))
          cursors.set(source.id, result.cursor)
          return Promise.resolve()
        },
      },
    )
    poller.setSources([feed('a', { intervalSec: 60 })])
    expect(await poller.pollNow('a')).toMatchObject({
      state: 'backing-off',
      itemsTotal: 0,
      lastError: 'Could not save new mentions: ENOSPC: no space left on device',
    })
    expect(cursors.get('a')).toBeUndefined()
    expect(await poller.pollNow('a')).toMatchObject({ state: 'live', itemsTotal: 1 })
    await clock.advance(5 * MIN)
    expect(delivered.slice(0, 2)).toEqual(['m0', 'm1'])
    expect(health.get('a')?.itemsTotal).toBe(delivered.length)
  })

  it('runs at most maxConcurrent polls, and one per host', async () => {
    const clock = fakeClock()
    let inFlight = 0
    let peak = 0
    const hosts = new Set<string>()
    let hostClash = false
    const releases: (() => void)[] = []
    const connector: Connector = {
      kind: 'rss',
      async poll(config) {
        const host = config.kind === 'rss' ? new URL(config.url).host : config.id
        if (hosts.has(host)) hostClash = true
        hosts.add(host)
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise<void>((resolve) => releases.push(resolve))
        inFlight--
        hosts.delete(host)
        return ok()
      },
    }
    const poller = createPoller({
      connectors: { rss: connector, demo: connector, hn: connector, mastodon: connector },
      http: createHttpClient({ userAgent: userAgent('test') }),
      now: clock.now,
      random: seeded(3),
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      getCursor: () => undefined,
      onPolled: () => Promise.resolve(),
      maxConcurrent: 2,
    })
    const shared = (id: string) => feed(id, { url: 'https://www.google.com/alerts/feeds/1/' + id })
    poller.setSources([feed('a'), feed('b'), feed('c'), shared('g1'), shared('g2')])
    for (let round = 0; round < 20; round++) {
      await clock.advance(10_000)
      for (const release of releases.splice(0)) release()
      await settle()
    }
    expect(peak).toBe(2)
    expect(hostClash).toBe(false)
    await poller.stop()
  })

  it.each([
    ['a small answer', 'x'.repeat(OVERLAP_MAX_BYTES), true],
    ['a large answer', 'x'.repeat(OVERLAP_MAX_BYTES + 1), false],
  ])(
    'after %s, fetches the next feed on its host while saving: %s',
    async (_what, body, overlaps) => {
      const clock = fakeClock()
      const asked: string[] = []
      let inFlight = 0
      let overlap = false
      const answers: (() => void)[] = []
      const http: HttpClient = {
        get: (url) => {
          asked.push(url)
          if (++inFlight > 1) overlap = true
          return new Promise((resolve) =>
            answers.push(() => {
              inFlight--
              resolve({ status: 200, url, headers: {}, body, notModified: false, movedTo: null })
            }),
          )
        },
        send: () => Promise.reject(new Error('no writes here')),
      }
      const connector: Connector = {
        kind: 'rss',
        async poll(config, _cursor, ctx) {
          await ctx.http.get(config.kind === 'rss' ? config.url : '')
          return ok()
        },
      }
      const saves: (() => void)[] = []
      const poller = createPoller({
        connectors: { rss: connector },
        http,
        now: clock.now,
        random: seeded(3),
        setTimer: clock.setTimer,
        clearTimer: clock.clearTimer,
        getCursor: () => undefined,
        onPolled: () => new Promise<void>((resolve) => saves.push(resolve)),
      })
      const shared = (id: string) =>
        feed(id, { url: 'https://www.google.com/alerts/feeds/1/' + id })
      poller.setSources([shared('g1'), shared('g2'), shared('g3')])
      await clock.advance(3 * START_SPACING_MS)
      // All three are due; the host answers one request at a time.
      expect(asked).toHaveLength(1)
      answers.shift()?.()
      await settle()
      // The first feed is being saved; the second is asked for meanwhile only after a small answer.
      expect(saves).toHaveLength(1)
      expect(asked).toHaveLength(overlaps ? 2 : 1)
      for (let round = 0; round < 6; round++) {
        answers.shift()?.()
        await settle()
        for (const save of saves.splice(0)) save()
        await settle()
      }
      expect(asked).toHaveLength(3)
      expect(overlap).toBe(false)
      expect(poller.health('g1')?.state).toBe('live')
      expect(poller.health('g3')?.state).toBe('live')
      await poller.stop()
    },
  )

  it('keeps health across setSources and forgets removed sources', async () => {
    const { clock, poller, of } = setup(() => ok([mention('x', 0), mention('y', 0)]))
    poller.setSources([feed('a'), feed('b')])
    await clock.advance(MIN)
    expect(poller.health('a')?.itemsTotal).toBe(2)
    poller.setSources([feed('a', { name: 'Renamed' })])
    expect(poller.health('a')?.itemsTotal).toBe(2)
    expect(poller.health('b')).toBeUndefined()
    const before = of('b').length
    await clock.advance(3600_000)
    expect(of('b')).toHaveLength(before)
  })

  it('polls now on request and resolves with the new health', async () => {
    const { poller, of } = setup(() => ok([mention('x', 0)]))
    poller.setSources([feed('a')])
    const health = await poller.pollNow('a')
    expect(of('a')).toHaveLength(1)
    expect(health).toMatchObject({ state: 'live', itemsTotal: 1 })
  })

  it('opens the breaker after K failures, probes once after the cool-down, and re-opens', async () => {
    const { clock, poller, of, health } = setup(() => {
      throw new SourceError('http', 'The feed answered 500 Internal Server Error')
    })
    poller.setSources([feed('a', { intervalSec: 60 })])
    // Failures 1–4 back off at most 30 s, 60 s, 120 s and 240 s: all five land well within 10 min.
    await clock.advance(10 * MIN)
    expect(of('a')).toHaveLength(DEFAULT_BREAKER.failures)
    const openedAt = of('a').at(-1) ?? 0
    const state = health.get('a')
    expect(state).toMatchObject({
      state: 'breaker-open',
      consecutiveFailures: 5,
      lastError: 'The feed answered 500 Internal Server Error',
    })
    const coolDown = DEFAULT_BREAKER.coolDownMs
    expect(state?.nextCheckAt).toBeGreaterThanOrEqual(openedAt + coolDown)
    expect(state?.nextCheckAt).toBeLessThanOrEqual(openedAt + coolDown * (1 + COOL_DOWN_JITTER))
    // Nothing at all during the cool-down, then exactly one probe at the time shown.
    await clock.advance(openedAt + coolDown - clock.now() - 1)
    expect(of('a')).toHaveLength(5)
    const probeAt = state?.nextCheckAt ?? 0
    await clock.advance(probeAt - clock.now())
    expect(of('a')).toHaveLength(6)
    expect(of('a').at(-1)).toBe(probeAt)
    // The failed probe re-opens it for another cool-down, not a backoff retry.
    expect(health.get('a')).toMatchObject({ state: 'breaker-open', consecutiveFailures: 6 })
    await clock.advance(coolDown - 1)
    expect(of('a')).toHaveLength(6)
    expect(health.get('a')?.nextCheckAt).toBeGreaterThan(clock.now())
  })

  it('closes the breaker when the probe succeeds, and backs off from scratch again', async () => {
    const failing = new Set([1, 2, 3, 4, 5, 7])
    const { clock, poller, of, health } = setup(
      (_c, _cur, n) => {
        if (failing.has(n)) throw new SourceError('network', 'Could not reach the server')
        return ok()
      },
      {},
      () => 0.99,
    )
    poller.setSources([feed('a', { intervalSec: 3600 })])
    await clock.advance(10 * MIN)
    expect(health.get('a')?.state).toBe('breaker-open')
    await clock.advance(DEFAULT_BREAKER.coolDownMs * (1 + COOL_DOWN_JITTER))
    expect(of('a')).toHaveLength(6)
    expect(health.get('a')).toMatchObject({ state: 'live', consecutiveFailures: 0 })
    // The next failure is the first of a new streak: a 30 s backoff, not the breaker.
    await clock.advance(2 * 3600_000)
    expect(of('a').length).toBeGreaterThanOrEqual(8)
    expect(gaps(of('a'))[6]).toBe(29_700)
    expect(health.get('a')?.state).toBe('live')
  })

  it('shows a rate limit as its own state and never trips the breaker on it', async () => {
    const { clock, poller, of, health } = setup(() => {
      throw new SourceError('rate-limited', 'The feed asked Earshot to slow down', {
        status: 429,
        retryAfterMs: 2 * MIN,
      })
    })
    poller.setSources([feed('a', { intervalSec: 60 })])
    await clock.advance(MIN)
    expect(health.get('a')).toMatchObject({ state: 'rate-limited', consecutiveFailures: 0 })
    expect(health.get('a')?.nextCheckAt).toBeGreaterThanOrEqual(clock.now() + MIN)
    await clock.advance(60 * MIN)
    expect(of('a').length).toBeGreaterThan(DEFAULT_BREAKER.failures + 2)
    expect(health.get('a')).toMatchObject({ state: 'rate-limited', consecutiveFailures: 0 })
  })

  it('stops polling after a 401 until the source settings change', async () => {
    let reject = true
    const { clock, poller, of, health } = setup(() => {
      if (reject)
        throw new SourceError('auth', 'The server rejected the credentials', { status: 401 })
      return ok()
    })
    poller.setSources([feed('a', { intervalSec: 60 })])
    await clock.advance(MIN)
    expect(of('a')).toHaveLength(1)
    expect(health.get('a')).toMatchObject({
      state: 'credential-invalid',
      nextCheckAt: null,
      lastError: 'The server rejected the credentials',
    })
    await clock.advance(24 * 3600_000)
    expect(of('a')).toHaveLength(1)
    // The same settings again (core re-sends every source on any change) are no reason to retry.
    poller.setSources([feed('a', { intervalSec: 60 })])
    await clock.advance(3600_000)
    expect(of('a')).toHaveLength(1)
    reject = false
    poller.setSources([feed('a', { intervalSec: 60, name: 'New token' })])
    await clock.advance(MIN)
    expect(of('a')).toHaveLength(2)
    expect(health.get('a')?.state).toBe('live')
  })

  it('tries a source rejected with 401 again when asked to poll now', async () => {
    const { poller, of } = setup((_c, _cur, n) => {
      if (n === 1) throw new SourceError('auth', 'The server rejected the credentials')
      return ok()
    })
    poller.setSources([feed('a')])
    expect(await poller.pollNow('a')).toMatchObject({ state: 'credential-invalid' })
    expect(await poller.pollNow('a')).toMatchObject({ state: 'live' })
    expect(of('a')).toHaveLength(2)
  })

  it('honours a saved future next-check time after a restart, and only that', async () => {
    const start = fakeClock().now()
    // As core does: the saved health is also what onHealth overwrites, so reading order matters.
    const saved = new Map<string, SourceHealth>()
    const store = (id: string, at: number) =>
      saved.set(id, {
        state: 'live',
        lastSuccessAt: start - MIN,
        lastErrorAt: null,
        lastError: null,
        itemsTotal: 3,
        nextCheckAt: at,
        consecutiveFailures: 0,
      })
    store('later', start + 7 * MIN)
    const { clock, poller, of } = setup(undefined, {
      getNextCheckAt: (id) => saved.get(id)?.nextCheckAt,
      getSavedHealth: (id) => saved.get(id),
      onHealth: (id, next) => void saved.set(id, next),
    })
    poller.setSources([feed('later')])
    expect(poller.health('later')?.nextCheckAt).toBe(start + 7 * MIN)
    await clock.advance(7 * MIN - 1)
    expect(of('later')).toHaveLength(0)
    await clock.advance(1)
    expect(of('later')).toEqual([start + 7 * MIN])
  })

  it('spreads 50 sources whose saved next checks have passed instead of firing them at once', async () => {
    const start = fakeClock().now()
    const { clock, poller, calls } = setup(undefined, {
      maxConcurrent: 50,
      getNextCheckAt: (id) => start - 3600_000 - Number(id.slice(1)),
    })
    poller.setSources(Array.from({ length: 50 }, (_v, i) => feed(`s${i}`)))
    // All first polls fall in 50 × 5 s; second polls are a 10-minute interval (−15%) away.
    await clock.advance(5 * MIN)
    expect(calls).toHaveLength(50)
    const perSecond = new Map<number, number>()
    for (const call of calls) {
      const second = Math.floor(call.at / 1000)
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    }
    expect(Math.max(...perSecond.values())).toBe(1)
    expect(Math.min(...calls.map((c) => c.at))).toBeGreaterThanOrEqual(start)
  })

  it('polls nothing after stop', async () => {
    const { clock, poller, calls } = setup()
    poller.setSources([feed('a'), feed('b')])
    await poller.stop()
    await clock.advance(3600_000)
    expect(calls).toHaveLength(0)
    expect(clock.pending()).toBe(0)
  })
})
