/* The scheduler: when each source is polled, how failures back off, and how many run at once.
   The timing rules are pure functions; the poller only wires them to timers and connectors. */
import type { SourceConfig, SourceHealth, SourceKind } from '../../shared/domain'
import { MAX_INTERVAL_SEC } from '../../shared/domain'
import { describeError } from '../../shared/result'
import type { Logger } from '../log'
import { silentLogger } from '../log'
import type { Connector, PollResult, SecretAccess, SourceCursor } from './connector'
import { SourceError, connectorFor } from './connector'
import type { HttpClient, HttpResponse } from './http'

export type BackoffOptions = { baseMs: number; capMs: number }
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, capMs: 30 * 60_000 }
/** After `failures` failures in a row a source rests `coolDownMs`, then gets one probe poll. */
export type BreakerOptions = { failures: number; coolDownMs: number }
export const DEFAULT_BREAKER: BreakerOptions = { failures: 5, coolDownMs: 30 * 60_000 }
/**
 * A cool-down lasts up to 10% longer than asked, so sources whose breakers opened together
 * (a network outage) do not all probe in the same second.
 */
export const COOL_DOWN_JITTER = 0.1
/** Each regular delay lands within ±15% of the interval, so sources drift apart, not together. */
export const INTERVAL_JITTER = 0.15
/** At start-up, sources are spaced about this far apart (or over one interval, if shorter). */
export const START_SPACING_MS = 5_000
/** No source is polled again sooner than this after a poll, whatever the arithmetic says. */
export const MIN_DELAY_MS = 1_000
/** While offline, the network is probed after 5 s, then less and less often, up to every 5 min. */
export const DEFAULT_PROBE: BackoffOptions = { baseMs: 5_000, capMs: 5 * 60_000 }
/** When the network is back, the sources it failed resume within this (1 s a source, at most). */
export const RESUME_WINDOW_MS = 60_000
/** A probe that gets no answer within this counts as still offline. */
export const PROBE_TIMEOUT_MS = 10_000
const MAX_DELAY_MS = MAX_INTERVAL_SEC * 1000

/** The journal refused a batch (disk full, say): a failure of this poll, with its own words. */
class SaveFailure extends Error {}

/**
 * Delay before retry number `failures` (1 for the first failure): exponential with full jitter,
 * uniform in [0, min(cap, base·2^(failures−1))], so failing sources spread out instead of retrying
 * in step.
 */
export function backoffDelay(
  failures: number,
  random: () => number,
  { baseMs, capMs }: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const exponent = Math.min(Math.max(0, failures - 1), 40)
  const ceiling = Math.min(capMs, baseMs * 2 ** exponent)
  return Math.floor(random() * ceiling)
}

/** The regular wait after a poll: the interval, give or take 15%. */
export function nextDelay(intervalSec: number, random: () => number): number {
  return jittered(intervalSec * 1000, random)
}

function jittered(ms: number, random: () => number): number {
  return Math.round(ms * (1 + (random() * 2 - 1) * INTERVAL_JITTER))
}

/** First-poll delays for `count` sources: one each in equal slots across `windowMs`. */
export function staggerDelays(count: number, windowMs: number, random: () => number): number[] {
  const slot = count > 0 ? windowMs / count : 0
  return Array.from({ length: count }, (_v, i) => Math.floor((i + random()) * slot))
}

/** Where to ask whether a source's server can be reached at all: the root of its origin. */
export function probeAddress(config: SourceConfig): string | null {
  const address =
    config.kind === 'rss'
      ? config.url
      : config.kind === 'mastodon'
        ? config.instance
        : config.kind === 'hn' || config.kind === 'reddit'
          ? config.apiBase
          : config.kind === 'bluesky'
            ? config.service
            : null
  try {
    return address ? `${new URL(address).origin}/` : null
  } catch {
    return null
  }
}

export type PollerOptions = {
  connectors: Partial<Record<SourceKind, Connector>>
  http: HttpClient
  /** Appends the batch and its cursor to the journal; the cursor only moves once this resolves. */
  onPolled: (source: SourceConfig, result: PollResult) => Promise<void>
  getCursor: (sourceId: string) => SourceCursor | undefined
  /** The source's secrets, handed to its connector in every poll (kinds that take credentials). */
  secretsFor?: (config: SourceConfig) => SecretAccess | undefined
  onHealth?: (sourceId: string, health: SourceHealth) => void
  /** What a source's health said before a restart (last success, last error, items so far). */
  getSavedHealth?: (sourceId: string) => Partial<SourceHealth> | undefined
  /** A next-check time saved before a restart, honoured when it lies in the future. */
  getNextCheckAt?: (sourceId: string) => number | null | undefined
  now?: () => number
  random?: () => number
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  logger?: Logger
  maxConcurrent?: number
  backoff?: BackoffOptions
  breaker?: BreakerOptions
  /**
   * Network loss: told `true` when every source that needs the network failed to reach its server,
   * and `false` once a probe (or any poll) gets an answer again.
   */
  onNetwork?: (offline: boolean) => void
  /** Waits between probes while offline: exponential with full jitter, at least a second. */
  probe?: BackoffOptions
}

export type Poller = {
  /** Adds, removes, pauses and resumes to match `configs`; health survives for known ids. */
  setSources(configs: SourceConfig[]): void
  /** Polls a source now (unless paused) and resolves with its health once that poll is done. */
  pollNow(id: string): Promise<SourceHealth | undefined>
  health(id: string): SourceHealth | undefined
  /** How many polls are running now (the journal lets their batches share one fsync). */
  running(): number
  /** Cancels timers and in-flight polls; resolves when nothing runs any more. */
  stop(): Promise<void>
}

type Entry = {
  config: SourceConfig
  health: SourceHealth
  timer: unknown
  queued: boolean
  running: Promise<void> | null
  controller: AbortController | null
  /** Bumped when the source is removed or points somewhere else, so a late result is dropped. */
  generation: number
  /** Rate-limited answers in a row: they grow the wait but are not failures of the source. */
  rateLimits: number
  waiters: (() => void)[]
  /** Whether the last poll reached the server: `lost` after a network failure or timeout. */
  reach?: 'ok' | 'lost' | undefined
  /** A regular poll that came due while offline; it runs once the network is back. */
  held?: boolean
}

/** A source's health before its first poll. */
export const initialHealth = (paused: boolean): SourceHealth => ({
  state: paused ? 'paused' : 'waiting',
  lastSuccessAt: null,
  lastErrorAt: null,
  lastError: null,
  itemsTotal: 0,
  nextCheckAt: null,
  consecutiveFailures: 0,
})

/**
 * The history of a saved health carries over, and so does a failure streak: a source whose breaker
 * was open stays open after a restart (its probe waits for the saved next check), and one that was
 * backing off keeps counting toward the breaker. Any other live state is this run's.
 */
export const pickSaved = (
  saved: Partial<SourceHealth> | undefined,
  paused = false,
): Partial<SourceHealth> => {
  if (!saved) return {}
  const { lastSuccessAt, lastErrorAt, lastError, itemsTotal, note } = saved
  const failing = saved.state === 'breaker-open' || saved.state === 'backing-off'
  const streak = failing && !paused ? (saved.consecutiveFailures ?? 0) : 0
  return {
    ...(lastSuccessAt !== undefined ? { lastSuccessAt } : {}),
    ...(lastErrorAt !== undefined ? { lastErrorAt } : {}),
    ...(lastError !== undefined ? { lastError } : {}),
    ...(itemsTotal !== undefined ? { itemsTotal } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(streak > 0 ? { consecutiveFailures: streak } : {}),
    ...(streak > 0 && saved.state === 'breaker-open' ? { state: 'breaker-open' as const } : {}),
  }
}

/**
 * The shared client for one poll, calling `release` once the poll's requests have all been
 * answered (bodies read). Politeness asks for one request at a time per host, not one poll: the
 * next feed on a host is fetched while this one is parsed, triaged and saved, so a cycle of feeds
 * on one host overlaps its work, and the journal's group commit finds batches to write together
 * (200 feeds on one host took 200 fsyncs one after another). RSS, the only kind whose sources share
 * a host, makes one request a poll; other kinds hold a host of their own.
 */
export function leaseHttp(http: HttpClient, release: () => void): HttpClient {
  // After a large answer nothing is released here: the poll's end frees the host.
  let inFlight = 0
  const answered = () => {
    inFlight--
    if (inFlight === 0) release()
  }
  let small = true
  const track = (pending: Promise<HttpResponse>): Promise<HttpResponse> => {
    inFlight++
    return pending.then(
      (value) => {
        // A large answer keeps its host until the poll is done: polls overlapping on large
        // answers hold them all in memory at once (four 150 KB feeds of 500 items cost 40-60 MB).
        small &&= (value.bytes?.byteLength ?? value.body.length) <= OVERLAP_MAX_BYTES
        if (small) answered()
        else inFlight--
        return value
      },
      (cause: unknown) => {
        if (small) answered()
        else inFlight--
        throw cause
      },
    )
  }
  return {
    get: (url, request) => track(http.get(url, request)),
    send: (url, request) => track(http.send(url, request)),
  }
}

/** What one-request-at-a-time is counted by: a feed's host; any other source is a host of its own. */
function hostOfConfig(config: SourceConfig): string {
  if (config.kind !== 'rss') return `${config.kind}:${config.id}`
  try {
    return new URL(config.url).host
  } catch {
    return config.url
  }
}

/** Answers up to this size free their host before they are read and saved (see leaseHttp). */
export const OVERLAP_MAX_BYTES = 64 * 1024

/** Creates the scheduler; nothing is polled until `setSources`. */
export function createPoller(options: PollerOptions): Poller {
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms))
  const clearTimer =
    options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
  const logger = options.logger ?? silentLogger
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 4)
  const backoff = options.backoff ?? DEFAULT_BACKOFF
  const breaker = options.breaker ?? DEFAULT_BREAKER
  const breakerAfter = Math.max(1, breaker.failures)
  const coolDownMs = Math.max(MIN_DELAY_MS, breaker.coolDownMs)
  const entries = new Map<string, Entry>()
  const queue: string[] = []
  const busyHosts = new Set<string>()
  let running = 0
  let stopped = false

  const update = (id: string, entry: Entry, patch: Partial<SourceHealth>) => {
    entry.health = { ...entry.health, ...patch }
    if (entries.get(id) === entry) options.onHealth?.(id, { ...entry.health })
  }

  const baseInterval = (config: SourceConfig) =>
    options.connectors[config.kind]?.pollEveryMs ?? config.intervalSec * 1000
  const regularDelay = (config: SourceConfig) => jittered(baseInterval(config), random)

  const cancelTimer = (entry: Entry) => {
    if (entry.timer !== null) clearTimer(entry.timer)
    entry.timer = null
  }

  const schedule = (id: string, entry: Entry, delayMs: number) => {
    cancelTimer(entry)
    if (stopped || entries.get(id) !== entry) return
    if (entry.config.paused) {
      update(id, entry, { state: 'paused', nextCheckAt: null })
      return
    }
    const delay = Math.min(Math.max(0, Math.round(delayMs)), MAX_DELAY_MS)
    entry.timer = setTimer(() => {
      entry.timer = null
      enqueue(id, entry, false)
    }, delay)
    update(id, entry, { nextCheckAt: now() + delay })
  }

  const enqueue = (id: string, entry: Entry, urgent: boolean) => {
    if (stopped || entry.queued || entry.running || entries.get(id) !== entry) return
    if (network.offline && !urgent && needsNetwork(entry.config)) {
      // Polling waits for the network instead of failing again; the probe brings it back.
      entry.held = true
      return
    }
    entry.queued = true
    if (urgent) queue.unshift(id)
    else queue.push(id)
    drain()
  }

  /**
   * Each config's host, worked out once: `drain` looks at every queued source each time a host
   * frees up, and parsing 200 feed URLs on each of a cycle's ~400 drains cost more than the polls'
   * own scheduling. A changed source is a new config object, so it is looked up afresh.
   */
  const hosts = new WeakMap<SourceConfig, string>()
  const hostOf = (config: SourceConfig) => {
    const known = hosts.get(config)
    if (known !== undefined) return known
    const host = hostOfConfig(config)
    hosts.set(config, host)
    return host
  }

  // One request per host at a time: twenty Google Alerts feeds all live on www.google.com. The host
  // is held for the poll's exchange with it, not while the answer is read and saved (see leaseHttp).
  const drain = () => {
    for (let i = 0; i < queue.length && running < maxConcurrent && !stopped;) {
      const id = queue[i] ?? ''
      const entry = entries.get(id)
      if (!entry?.queued || entry.config.paused) {
        queue.splice(i, 1)
        if (entry) entry.queued = false
        continue
      }
      const host = hostOf(entry.config)
      if (busyHosts.has(host)) {
        i++
        continue
      }
      queue.splice(i, 1)
      entry.queued = false
      running++
      busyHosts.add(host)
      entry.running = run(id, entry, host)
    }
  }

  const run = async (id: string, entry: Entry, host: string): Promise<void> => {
    // Yield first, so `entry.running` is set before anything below can finish.
    await Promise.resolve()
    const config = entry.config
    const generation = entry.generation
    const controller = new AbortController()
    entry.controller = controller
    const current = () => !stopped && entries.get(id) === entry && entry.generation === generation
    let holdsHost = true
    const releaseHost = () => {
      if (!holdsHost) return
      holdsHost = false
      busyHosts.delete(host)
    }
    try {
      update(id, entry, { state: 'polling', nextCheckAt: null })
      const connector = connectorFor(options.connectors, config.kind)
      const secrets = options.secretsFor?.(config)
      const ctx = {
        http: leaseHttp(options.http, () => {
          releaseHost()
          drain()
        }),
        now,
        signal: controller.signal,
        ...(secrets ? { secrets } : {}),
      }
      const result = await connector.poll(config, options.getCursor(id), ctx)
      if (!current()) return
      try {
        await options.onPolled(config, result)
      } catch (cause) {
        // Nothing is lost: the cursor did not move, so the next poll fetches the same items.
        throw new SaveFailure(`Could not save new mentions: ${describeError(cause)}`)
      }
      if (!current()) return
      succeeded(id, entry, result)
    } catch (cause) {
      if (current()) failed(id, entry, cause)
    } finally {
      running--
      releaseHost()
      entry.controller = null
      entry.running = null
      for (const wake of entry.waiters.splice(0)) wake()
      drain()
    }
  }

  const succeeded = (id: string, entry: Entry, result: PollResult) => {
    entry.rateLimits = 0
    reached(entry, true)
    update(id, entry, {
      state: 'live',
      lastSuccessAt: now(),
      consecutiveFailures: 0,
      itemsTotal: entry.health.itemsTotal + result.mentions.length,
      // The connector's remark on a partly refused source; absent leaves any other note alone.
      ...(result.note !== undefined ? { note: result.note } : {}),
    })
    logger.debug('source polled', { sourceId: id, mentions: result.mentions.length })
    const delay = Math.max(regularDelay(entry.config), result.minDelayMs ?? 0, MIN_DELAY_MS)
    schedule(id, entry, delay)
  }

  const failed = (id: string, entry: Entry, cause: unknown) => {
    const known = cause instanceof SourceError
    const message =
      known || cause instanceof SaveFailure
        ? cause.message
        : `Unexpected problem: ${describeError(cause)}`
    const fields = { sourceId: id, kind: known ? cause.kind : 'unexpected', message }
    reached(entry, !(known && (cause.kind === 'network' || cause.kind === 'timeout')))
    if (known) logger.warn('source poll failed', fields)
    else logger.error('source poll failed', fields)
    const failedAt = { lastError: message, lastErrorAt: now() }

    if (known && cause.kind === 'auth') {
      // Credentials do not fix themselves: retrying would only hammer the server and could get
      // the account locked. The source waits, visibly, until its settings change or pollNow.
      cancelTimer(entry)
      update(id, entry, { ...failedAt, state: 'credential-invalid', nextCheckAt: null })
      return
    }

    if (known && cause.kind === 'rate-limited') {
      // The server is fine and asked for patience; this says nothing about the source's health,
      // so it neither counts toward the breaker nor shows as a failure streak.
      entry.rateLimits++
      const delay = Math.max(
        backoffDelay(entry.rateLimits, random, backoff),
        cause.details.retryAfterMs ?? 0,
        MIN_DELAY_MS,
      )
      update(id, entry, { ...failedAt, state: 'rate-limited' })
      schedule(id, entry, delay)
      return
    }

    entry.rateLimits = 0
    const failures = entry.health.consecutiveFailures + 1
    // A failed half-open probe has failures above the threshold, so it re-opens the breaker too.
    if (failures >= breakerAfter) {
      update(id, entry, { ...failedAt, state: 'breaker-open', consecutiveFailures: failures })
      schedule(id, entry, coolDownMs * (1 + random() * COOL_DOWN_JITTER))
      return
    }
    update(id, entry, { ...failedAt, state: 'backing-off', consecutiveFailures: failures })
    schedule(id, entry, Math.max(backoffDelay(failures, random, backoff), MIN_DELAY_MS))
  }

  // ---- Network loss: every source unreachable means the network is down, not the sources. ----
  const network = { offline: false, attempts: 0, timer: null as unknown, turn: 0 }
  const probeBackoff = options.probe ?? DEFAULT_PROBE
  const needsNetwork = (config: SourceConfig) => config.kind !== 'demo'
  const watched = () =>
    [...entries.values()].filter((e) => !e.config.paused && needsNetwork(e.config))

  const reached = (entry: Entry, answered: boolean) => {
    entry.reach = answered ? 'ok' : 'lost'
    if (answered) {
      if (network.offline) backOnline()
      return
    }
    // Only a caller that shows network loss gets it; without one, sources just back off.
    if (!options.onNetwork) return
    const all = watched()
    if (network.offline || all.length === 0 || !all.every((e) => e.reach === 'lost')) return
    network.offline = true
    network.attempts = 0
    logger.warn('network lost: no source could be reached; polling paused', { sources: all.length })
    options.onNetwork?.(true)
    scheduleProbe()
  }

  const scheduleProbe = () => {
    if (stopped || !network.offline) return
    network.attempts++
    const wait = Math.max(backoffDelay(network.attempts, random, probeBackoff), MIN_DELAY_MS)
    network.timer = setTimer(() => {
      network.timer = null
      void probe()
    }, wait)
  }

  /** Asks one unreachable source's server for anything at all; any HTTP answer means online. */
  const probe = async () => {
    const lost = watched().filter((e) => e.reach === 'lost')
    const target = lost[network.turn++ % Math.max(1, lost.length)]
    const address = target ? probeAddress(target.config) : null
    if (!address) return backOnline()
    let answered: boolean
    try {
      await options.http.get(address, {
        subject: 'The network check',
        allowErrors: true,
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      })
      answered = true
    } catch (cause) {
      answered = !(
        cause instanceof SourceError &&
        (cause.kind === 'network' || cause.kind === 'timeout')
      )
    }
    if (stopped || !network.offline) return
    if (answered) backOnline()
    else scheduleProbe()
  }

  /** The network is back: the sources it failed, and the polls held meanwhile, resume soon, spread. */
  const backOnline = () => {
    if (network.timer !== null) clearTimer(network.timer)
    network.timer = null
    network.offline = false
    logger.info('network back: polling resumes')
    options.onNetwork?.(false)
    const resume: [string, Entry][] = []
    for (const [id, entry] of entries) {
      if (entry.config.paused || entry.running || entry.queued) continue
      if (!entry.held && entry.reach !== 'lost') continue
      entry.held = false
      entry.reach = undefined
      if (entry.health.state === 'backing-off' || entry.health.state === 'breaker-open') {
        // The failures were the network's, not the source's.
        update(id, entry, { state: 'waiting', consecutiveFailures: 0 })
      }
      resume.push([id, entry])
    }
    const window = Math.min(resume.length * MIN_DELAY_MS, RESUME_WINDOW_MS)
    const delays = staggerDelays(resume.length, window, random)
    resume.forEach(([id, entry], i) => schedule(id, entry, delays[i] ?? 0))
  }

  const remove = (id: string, entry: Entry) => {
    cancelTimer(entry)
    entry.generation++
    entry.queued = false
    entry.controller?.abort()
    entries.delete(id)
    for (const wake of entry.waiters.splice(0)) wake()
  }

  // A feed that moved (firstUrl kept) is the same source: its cursor and backoff carry on.
  const material = (config: SourceConfig) =>
    config.kind === 'rss' ? (config.firstUrl ?? config.url) : config.kind
  const sameConfig = (a: SourceConfig, b: SourceConfig) => JSON.stringify(a) === JSON.stringify(b)

  /** Schedules first polls: a saved future time is kept, the rest share a start-up window. */
  const startSoon = (fresh: [string, Entry][], saved: Map<string, number>) => {
    const overdue: [string, Entry][] = []
    for (const [id, entry] of fresh) {
      const wait = (saved.get(id) ?? 0) - now()
      // A saved time further out than one interval (or one breaker cool-down, which may be
      // longer) means a clock jump; do not wait on it.
      const longest = Math.max(baseInterval(entry.config), coolDownMs * (1 + COOL_DOWN_JITTER))
      if (wait > 0) schedule(id, entry, Math.min(wait, longest))
      else overdue.push([id, entry])
    }
    if (overdue.length === 0) return
    const shortest = Math.min(...overdue.map(([, e]) => baseInterval(e.config)))
    const window = Math.min(overdue.length * START_SPACING_MS, shortest)
    const delays = staggerDelays(overdue.length, window, random)
    overdue.forEach(([id, entry], i) => schedule(id, entry, delays[i] ?? 0))
  }

  return {
    setSources(configs) {
      if (stopped) return
      const wanted = new Map(configs.map((config) => [config.id, config]))
      for (const [id, entry] of [...entries]) if (!wanted.has(id)) remove(id, entry)
      const fresh: [string, Entry][] = []
      const saved = new Map<string, number>()
      for (const [id, config] of wanted) {
        const entry = entries.get(id)
        if (!entry) {
          const created: Entry = {
            config,
            health: {
              ...initialHealth(config.paused),
              ...pickSaved(options.getSavedHealth?.(id), config.paused),
            },
            timer: null,
            queued: false,
            running: null,
            controller: null,
            generation: 0,
            rateLimits: 0,
            waiters: [],
          }
          // Read the saved time first: announcing the new health may overwrite what was saved.
          const at = options.getNextCheckAt?.(id)
          entries.set(id, created)
          options.onHealth?.(id, { ...created.health })
          if (typeof at === 'number' && Number.isFinite(at)) saved.set(id, at)
          if (!config.paused) fresh.push([id, created])
          continue
        }
        const before = entry.config
        entry.config = config
        if (config.paused) {
          if (!before.paused) schedule(id, entry, 0)
        } else if (before.paused || material(before) !== material(config)) {
          if (material(before) !== material(config)) {
            // A new address is a new source to the scheduler; an old poll's result is void.
            entry.generation++
            entry.controller?.abort()
            entry.rateLimits = 0
            update(id, entry, { consecutiveFailures: 0 })
          }
          if (!entry.running) update(id, entry, { state: 'waiting' })
          fresh.push([id, entry])
        } else if (entry.health.state === 'credential-invalid' && !sameConfig(before, config)) {
          // New settings may carry the fix; give them one try.
          if (!entry.running) update(id, entry, { state: 'waiting' })
          fresh.push([id, entry])
        } else if (before.intervalSec !== config.intervalSec && entry.timer !== null) {
          // A wait the source earned by failing or being rate-limited is not shortened by this.
          if (entry.health.state === 'live' || entry.health.state === 'waiting') {
            schedule(id, entry, regularDelay(config))
          }
        }
      }
      startSoon(fresh, saved)
    },

    pollNow(id) {
      const entry = entries.get(id)
      if (!entry || stopped) return Promise.resolve(undefined)
      if (entry.config.paused) return Promise.resolve({ ...entry.health })
      return new Promise((resolve) => {
        entry.waiters.push(() => resolve({ ...entry.health }))
        if (!entry.running) {
          cancelTimer(entry)
          enqueue(id, entry, true)
        }
      })
    },

    health(id) {
      const entry = entries.get(id)
      return entry ? { ...entry.health } : undefined
    },

    running: () => running,

    async stop() {
      stopped = true
      if (network.timer !== null) clearTimer(network.timer)
      network.timer = null
      const inFlight: Promise<void>[] = []
      for (const entry of entries.values()) {
        cancelTimer(entry)
        entry.controller?.abort()
        if (entry.running) inFlight.push(entry.running)
      }
      queue.length = 0
      await Promise.allSettled(inFlight)
      for (const entry of entries.values()) for (const wake of entry.waiters.splice(0)) wake()
    },
  }
}
