import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { CallHandlers } from '../shared/contract'
import type { SourceConfig, SourceHealth, SourceInput, SourceView } from '../shared/domain'
import {
  BLUESKY_SERVICE,
  HN_API_BASE,
  HN_INTERVAL_SEC,
  MASTODON_INTERVAL_SEC,
  REDDIT_API_BASE,
} from '../shared/domain'
import { isSafeExternal } from '../shared/external-url'
import { err, ok } from '../shared/result'
import { decideAlert } from './alerts/policy'
import { loadConfig, type ConfigStore } from './journal/config'
import { openHealthFile, type HealthFile } from './journal/health-file'
import { openJournal, type Journal } from './journal/journal'
import type { Core, CorePorts } from './ports'
import { createHttpClient, userAgent } from './sources/http'
import { SourceError } from './sources/connector'
import { createConnectors } from './sources/index'
import { mastodonName, uniqueTags } from './sources/mastodon'
import { pollSourceOnce } from './sources/poll-once'
import { createPoller, initialHealth, pickSaved } from './sources/poller'
import { createQueryFilter } from './sources/query'
import {
  newRateModel,
  observePoll,
  rateHealth,
  silenceNotice,
  type RateModel,
} from './sources/source-rate'
import { testFeed } from './sources/rss'
import { createTriage } from './triage/index'

/** One catch-up page: enough for one efficient transaction, small enough for one message. */
const PENDING_PAGE_MENTIONS = 2_000

/** Wires config, journal, poller, triage and alerts behind the contract. Knows no host. */
export function createCore(ports: CorePorts): Core {
  const now = ports.now ?? Date.now
  const random = ports.random ?? Math.random
  const { logger } = ports
  let config: ConfigStore | null = null
  let journal: Journal | null = null
  let healthFile: HealthFile | null = null
  const health = new Map<string, SourceHealth>()
  const rates = new Map<string, RateModel>()
  const triage = createTriage(() => config?.profile ?? null)
  const wanted = createQueryFilter(() => config?.profile ?? null)
  const connectors = createConnectors(() => config?.profile ?? null)
  const http = createHttpClient({
    userAgent: userAgent(ports.version),
    logger,
    ...(ports.fetch ? { fetch: ports.fetch } : {}),
  })

  const poller = createPoller({
    connectors,
    http,
    now,
    random,
    logger,
    getCursor: (sourceId) => journal?.cursor(sourceId),
    getSavedHealth: (sourceId) => healthFile?.saved(sourceId),
    // A restart keeps each source's saved next check, so reopening the app polls nothing at once.
    getNextCheckAt: (sourceId) => healthFile?.saved(sourceId)?.nextCheckAt,
    onHealth: (sourceId, polled) => {
      const next = withRate(sourceId, polled)
      health.set(sourceId, next)
      healthFile?.update(sourceId, next)
      announceSources()
    },
    onPolled: async (source, result) => {
      const store = requireJournal()
      const mentions = result.mentions.filter(wanted).map((heard) => triage.score(heard, now()))
      if (mentions.length === 0) {
        if (!result.notModified) await store.saveCursor(source.id, result.cursor)
        observeRate(source, result.mentions.length)
        return
      }
      const batch = await store.append(source.id, result.cursor, mentions)
      // Counted only once saved: a failed save refetches the same items next poll.
      observeRate(source, result.mentions.length)
      ports.emit('mentions:batch', batch)
      // Only freshly heard mentions alert; a replay after a restart never notifies twice.
      for (const mention of mentions) {
        const alert = decideAlert(mention)
        if (alert) ports.notify(alert)
      }
    },
  })

  const rateOf = (sourceId: string) => rates.get(sourceId) ?? healthFile?.savedRate(sourceId)

  const withRate = (sourceId: string, polled: SourceHealth): SourceHealth => {
    const rate = rateOf(sourceId)
    return rate ? { ...polled, ...rateHealth(rate, now()) } : polled
  }

  /**
   * Feeds a successful poll into the source's rate model and notifies once when the source turns
   * silent. Items are counted before the brand filter: a source whose posts are all filtered out
   * is still speaking, so its channel is healthy.
   */
  function observeRate(source: SourceConfig, items: number): void {
    const at = now()
    const before = rateOf(source.id)
    const after = observePoll(before ?? newRateModel(at), items, at)
    rates.set(source.id, after)
    healthFile?.updateRate(source.id, after)
    const notice = silenceNotice(before, after, source, at)
    if (notice) {
      logger.warn('source went silent', { sourceId: source.id })
      ports.notify(notice)
    }
  }

  let announceQueued = false
  /** Coalesces health changes into one event per tick. */
  function announceSources(): void {
    if (announceQueued) return
    announceQueued = true
    queueMicrotask(() => {
      announceQueued = false
      ports.emit('sources:changed', views())
    })
  }

  function requireConfig(): ConfigStore {
    if (!config) throw new Error('Earshot is still starting')
    return config
  }
  function requireJournal(): Journal {
    if (!journal) throw new Error('Earshot is still starting')
    return journal
  }

  const view = (source: SourceConfig): SourceView => ({
    config: source,
    health:
      health.get(source.id) ??
      withRate(source.id, {
        ...initialHealth(source.paused),
        ...pickSaved(healthFile?.saved(source.id)),
      }),
  })
  const views = () => (config?.sources ?? []).map(view)

  /** Polls nothing until a brand profile exists: the demo needs a brand to talk about. */
  function schedule(): void {
    const current = requireConfig()
    poller.setSources(current.profile ? current.sources : [])
  }

  async function saveSources(next: SourceConfig[]): Promise<void> {
    await requireConfig().saveSources(next)
    schedule()
    announceSources()
  }

  const newSourceId = (input: SourceInput): string => {
    const address = {
      rss: () => (input.kind === 'rss' ? input.url : ''),
      mastodon: () => (input.kind === 'mastodon' ? input.instance : ''),
      hn: () => (input.kind === 'hn' ? (input.apiBase ?? HN_API_BASE) : ''),
      bluesky: () => (input.kind === 'bluesky' ? (input.service ?? BLUESKY_SERVICE) : ''),
      reddit: () => (input.kind === 'reddit' ? (input.apiBase ?? REDDIT_API_BASE) : ''),
    }[input.kind]()
    const host = new URL(address).hostname.toLowerCase().replace(/[^a-z0-9]+/g, '-')
    return `${input.kind}-${host.slice(0, 50)}-${randomBytes(3).toString('hex')}`.replace(
      /-+/g,
      '-',
    )
  }

  /**
   * The same feed, HN searched at the same address for the same words, or the same set of
   * hashtags on the same Mastodon instance (case is no matter).
   */
  const sameSource = (source: SourceConfig, input: SourceInput): boolean => {
    const base = (url: string) => url.replace(/\/+$/, '').toLowerCase()
    if (source.kind === 'rss' && input.kind === 'rss') return source.url === input.url
    if (source.kind === 'mastodon' && input.kind === 'mastodon') {
      const tagSet = (tags: readonly string[]) =>
        uniqueTags(tags)
          .map((tag) => tag.toLowerCase())
          .sort()
          .join(' ')
      return (
        base(source.instance) === base(input.instance) &&
        tagSet(source.hashtags) === tagSet(input.hashtags)
      )
    }
    if (source.kind !== 'hn' || input.kind !== 'hn') return false
    const words = (query: string | undefined) => (query ?? '').trim().toLowerCase()
    return (
      base(source.apiBase) === base(input.apiBase ?? HN_API_BASE) &&
      words(source.query) === words(input.query)
    )
  }

  /**
   * Checks a source before saving it, so a typo or a web page is caught while the responder is
   * still looking at the form: a feed is fetched (and its title can name the source), HN is polled
   * once with the current brand profile. Throws only `SourceError`.
   */
  async function checkedSource(input: SourceInput): Promise<SourceConfig> {
    const common = { id: newSourceId(input), paused: false, createdAt: now() }
    if (input.kind === 'rss') {
      const title = (await testFeed(input.url, http, now)).title
      return {
        ...common,
        kind: 'rss',
        url: input.url,
        name: input.name ?? (title?.trim() || new URL(input.url).hostname).slice(0, 120),
        intervalSec: input.intervalSec ?? 15 * 60,
      }
    }
    if (input.kind === 'mastodon') {
      const tags = uniqueTags(input.hashtags)
      const source: SourceConfig = {
        ...common,
        kind: 'mastodon',
        instance: input.instance,
        hashtags: tags,
        name: input.name ?? mastodonName(input.instance, tags),
        intervalSec: input.intervalSec ?? MASTODON_INTERVAL_SEC,
      }
      await pollSourceOnce(source, { http, now })
      return source
    }
    if (input.kind !== 'hn') {
      throw new SourceError('config', `This version of Earshot cannot add ${input.kind} sources`)
    }
    const source: SourceConfig = {
      ...common,
      kind: 'hn',
      apiBase: input.apiBase ?? HN_API_BASE,
      ...(input.query ? { query: input.query } : {}),
      name: input.name ?? 'Hacker News',
      intervalSec: input.intervalSec ?? HN_INTERVAL_SEC,
    }
    await pollSourceOnce(source, { http, now, profile: requireConfig().profile })
    return source
  }

  const handlers: CallHandlers = {
    'app:info': async () => {
      const current = requireConfig()
      return ok({
        version: ports.version,
        host: ports.host,
        dataDir: ports.dataDir,
        configProblems: [
          ...current.problems,
          ...requireJournal().problems,
          ...(healthFile?.problem ? [healthFile.problem] : []),
        ],
      })
    },
    'profile:get': async () => ok(requireConfig().profile),
    'profile:save': async ({ profile }) => {
      await requireConfig().saveProfile(profile)
      schedule()
      return ok(profile)
    },
    'sources:list': async () => ok(views()),
    'sources:add': async ({ source: input }) => {
      const current = requireConfig()
      if (current.sources.some((s) => sameSource(s, input))) {
        return err(
          'conflict',
          input.kind === 'rss'
            ? 'This feed is already a source'
            : input.kind === 'mastodon'
              ? 'These hashtags on this instance are already a source'
              : 'Hacker News with this search is already a source',
        )
      }
      let source: SourceConfig
      try {
        source = await checkedSource(input)
      } catch (cause) {
        if (cause instanceof SourceError) {
          return err(cause.kind === 'config' ? 'invalid-input' : 'network', cause.message)
        }
        throw cause
      }
      // The demo only stands in until the responder adds a real source.
      const others = current.sources.filter((s) => s.kind !== 'demo')
      await saveSources([...others, source])
      logger.info('source added', { id: source.id, kind: source.kind })
      return ok(view(source))
    },
    'sources:setPaused': async ({ id, paused }) => {
      const current = requireConfig()
      const found = current.sources.find((s) => s.id === id)
      if (!found) return err('not-found', 'No such source')
      const updated = { ...found, paused }
      await saveSources(current.sources.map((s) => (s.id === id ? updated : s)))
      return ok(view(updated))
    },
    'sources:remove': async ({ id }) => {
      const current = requireConfig()
      if (!current.sources.some((s) => s.id === id)) return err('not-found', 'No such source')
      await saveSources(current.sources.filter((s) => s.id !== id))
      health.delete(id)
      rates.delete(id)
      healthFile?.update(id, null)
      healthFile?.updateRate(id, null)
      await requireJournal().dropCursor(id)
      return ok({})
    },
    'delivery:pending': async ({ afterSeq }) => {
      const store = requireJournal()
      // Asking for what follows `afterSeq` says everything up to it is stored.
      if (afterSeq > 0) await store.ack(afterSeq)
      return ok({ journal: store.id, ...store.pending(afterSeq, PENDING_PAGE_MENTIONS) })
    },
    'delivery:ack': async ({ seq }) => {
      await requireJournal().ack(seq)
      return ok({})
    },
    'shell:openExternal': async ({ url }) => {
      if (!isSafeExternal(url)) return err('forbidden', 'This link cannot be opened')
      if (ports.host === 'web') return ok({ openedBy: 'page' as const })
      await ports.openExternal(url)
      return ok({ openedBy: 'host' as const })
    },
    'alerts:setUnhandled': async ({ count }) => {
      ports.setUnhandled(count)
      return ok({})
    },
    'triage:batch': async ({ items }) => {
      const at = now()
      return ok(items.map((heard) => triage.score(heard, at)))
    },
  }

  return {
    handlers,
    async start() {
      await mkdir(ports.dataDir, { recursive: true })
      config = await loadConfig(ports.dataDir, now)
      journal = await openJournal({
        journalPath: join(ports.dataDir, 'journal.jsonl'),
        statePath: join(ports.dataDir, 'delivery.json'),
        logger,
      })
      healthFile = await openHealthFile(join(ports.dataDir, 'health.json'), logger)
      for (const problem of [...config.problems, ...journal.problems]) logger.warn(problem)
      schedule()
    },
    async stop() {
      await poller.stop()
      await healthFile?.flush()
      await journal?.close()
    },
  }
}
