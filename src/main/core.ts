import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { CallHandlers, NetworkStatus } from '../shared/contract'
import type {
  CredentialState,
  SourceConfig,
  SourceHealth,
  SourceInput,
  SourceView,
} from '../shared/domain'
import {
  BLUESKY_INTERVAL_SEC,
  BLUESKY_SERVICE,
  HN_API_BASE,
  HN_INTERVAL_SEC,
  MASTODON_INTERVAL_SEC,
  REDDIT_API_BASE,
  REDDIT_AUTH_BASE,
  REDDIT_INTERVAL_SEC,
  sourceConfigSchema,
  sourceInputSchema,
} from '../shared/domain'
import { isSafeExternal, isSafeMailto } from '../shared/external-url'
import { err, ok } from '../shared/result'
import { createAlerting } from './alerts/alerting'
import { credentialSchemaFor, credentialsRequired, takesCredentials } from './credentials/kinds'
import { guardConnectors, scrubSecrets } from './credentials/scrub'
import {
  CredentialStoreError,
  openCredentialStore,
  type CredentialStore,
} from './credentials/store'
import { createBackupStore } from './journal/backup-store'
import { loadConfig, type ConfigStore } from './journal/config'
import { openHealthFile, type HealthFile } from './journal/health-file'
import { openJournal, type Journal } from './journal/journal'
import type { Core, CorePorts } from './ports'
import { createHttpClient, userAgent } from './sources/http'
import { SourceError } from './sources/connector'
import { createConnectors } from './sources/index'
import { memorySecrets } from './sources/memory-secrets'
import { mastodonName, uniqueTags } from './sources/mastodon'
import { writeOpml, type OpmlReading } from './sources/opml'
import { sharedParsePool } from './sources/parse-pool'
import { pollSourceOnce } from './sources/poll-once'
import { envProxy, systemProxy } from './sources/proxy'
import { trustSystemCertificates } from './sources/system-ca'
import type { Logger } from './log'
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
import { createLearnerHandlers } from './triage/learner-handlers'
import { openLearnerStore, type LearnerStore } from './triage/learner-store'
import { createRoutingService } from './triage/routing-service'
import { createOutbox } from './replies/outbox'
import { createHandoffSender } from './replies/handoff-sender'
import { createThreadHandler } from './replies/thread'
import { createTemplateStore } from './replies/templates-file'

/**
 * One catch-up page, stored by the renderer in one transaction. Chromium pays a cost per readwrite
 * transaction: storing 2,000 mentions (with their states and word rows) in pages of 100 took about
 * twice the browser CPU of one page of 2,000, and pages of 500 a quarter more, in an in-memory
 * profile (on disk the difference was within the noise). So a backlog goes in few, large pages;
 * the cap bounds one message (about 5 MB of JSON) and how long one transaction holds the states
 * store, which the queue's views wait on.
 */
export const PENDING_PAGE_MENTIONS = 5_000

/** Source health reaches the page at most this often (the first change of a quiet spell at once). */
export const SOURCES_ANNOUNCE_MS = 250

let systemTrusted = false

/** Adds the system's certificate authorities to the process's trust, once, saying how it went. */
function trustSystemOnce(logger: Logger): void {
  if (systemTrusted) return
  systemTrusted = true
  const trust = trustSystemCertificates()
  if (trust.state === 'added') {
    logger.info('trusting the system certificate authorities too', {
      system: trust.system,
      total: trust.total,
    })
  } else if (trust.state === 'failed') {
    logger.warn('the system certificate authorities could not be read', { reason: trust.reason })
  } else {
    logger.debug('this runtime cannot list the system certificate authorities')
  }
}

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
  let learnerStore: LearnerStore | null = null
  const triage = createTriage(
    () => config?.profile ?? null,
    () => learnerStore?.learner,
  )
  const routing = createRoutingService({ dataDir: ports.dataDir, now, logger })
  const wanted = createQueryFilter(() => config?.profile ?? null)
  let credentials: CredentialStore | null = null
  /** Sources whose credentials the server rejected: not polled until new ones are set. */
  const rejected = new Set<string>()
  // Connectors see secrets; whatever they throw is scrubbed of them before anyone reads it.
  const connectors = guardConnectors({
    ...createConnectors(() => config?.profile ?? null),
    ...ports.connectors,
  })
  // Every fresh batch and every silent source goes through the notification policy.
  const alerting = createAlerting({
    dataDir: ports.dataDir,
    notify: (alert) => ports.notify(alert),
    logger,
    now,
    getProfile: () => config?.profile ?? null,
  })
  const http = createHttpClient({
    userAgent: userAgent(ports.version),
    logger,
    proxy: ports.resolveProxy ? systemProxy(ports.resolveProxy) : envProxy(),
  })

  let network: NetworkStatus = { offline: false, since: null }
  // Scheduled backups of the page's database, written into the data dir's backups folder.
  const backups = createBackupStore({ dataDir: ports.dataDir, now, logger })
  const templates = createTemplateStore({ dataDir: ports.dataDir, now, logger })
  // Replies go out through the same connectors (secrets scrubbed from errors) and HTTP client.
  const outbox = createOutbox({
    dataDir: ports.dataDir,
    now,
    logger,
    http,
    emit: (event, payload) => ports.emit(event, payload),
    source: (id) => config?.sources.find((s) => s.id === id),
    connector: (kind) => connectors[kind],
    secretsFor: (source) =>
      credentials && takesCredentials(source.kind) ? credentials.access(source.id) : undefined,
  })

  const poller = createPoller({
    onNetwork: (offline) => {
      network = { offline, since: offline ? now() : null }
      ports.emit('network:changed', network)
    },
    connectors,
    http,
    now,
    random,
    logger,
    getCursor: (sourceId) => journal?.cursor(sourceId),
    secretsFor: (source) =>
      credentials && takesCredentials(source.kind) ? credentials.access(source.id) : undefined,
    getSavedHealth: (sourceId) => healthFile?.saved(sourceId),
    // A restart keeps each source's saved next check, so reopening the app polls nothing at once.
    getNextCheckAt: (sourceId) => healthFile?.saved(sourceId)?.nextCheckAt,
    onHealth: (sourceId, polled) => {
      const note = notes.get(sourceId)
      const next = withRate(sourceId, note ? { ...polled, note } : polled)
      health.set(sourceId, next)
      const source = config?.sources.find((s) => s.id === sourceId)
      if (polled.state === 'credential-invalid' && source && takesCredentials(source.kind)) {
        // A rejected sign-in stays rejected, across pauses and restarts, until new credentials.
        rejected.add(sourceId)
        queueMicrotask(() => {
          if (config) schedule()
        })
      }
      healthFile?.update(sourceId, next)
      announceSources()
    },
    onPolled: async (source, result) => {
      // A source answered: the network is back, so replies waiting for it go out now.
      outbox.retryQueued()
      const store = requireJournal()
      const mentions = result.mentions
        .filter(wanted)
        .map((heard) => routing.route(triage.score(heard, now())))
      if (mentions.length === 0) {
        if (!result.notModified) await store.saveCursor(source.id, result.cursor)
        if (result.movedTo) await followMove(source, result.movedTo)
        observeRate(source, result.mentions.length)
        return
      }
      const batch = await store.append(source.id, result.cursor, mentions)
      if (result.movedTo) await followMove(source, result.movedTo)
      // Counted only once saved: a failed save refetches the same items next poll.
      observeRate(source, result.mentions.length)
      ports.emit('mentions:batch', batch)
      // Only freshly heard mentions alert; a replay after a restart never notifies twice.
      // A routing rule may ask for a notification below the threshold, or keep a mention to
      // monitoring only (no interruption; it still counts in the digest).
      alerting.onBatch(mentions, ({ triage: { route } }) => ({
        ...(route?.notify ? { forceNotify: true } : {}),
        ...(route?.monitorOnly && !route.notify ? { suppress: true } : {}),
      }))
    },
  })

  /** Notes shown with a source's health (a feed that moved), kept with it in health.json. */
  const notes = new Map<string, string>()

  /** A feed that moved permanently (301/308) is read at its new address from now on. */
  async function followMove(source: SourceConfig, movedTo: string): Promise<void> {
    const current = requireConfig()
    const found = current.sources.find((s) => s.id === source.id)
    if (found?.kind !== 'rss' || found.url === movedTo) return
    const moved = sourceConfigSchema.safeParse({
      ...found,
      url: movedTo,
      firstUrl: found.firstUrl ?? found.url,
    })
    if (!moved.success) return
    notes.set(source.id, `The feed moved permanently to ${movedTo}; Earshot reads it there now`)
    await saveSources(current.sources.map((s) => (s.id === source.id ? moved.data : s)))
    logger.info('feed moved', { sourceId: source.id })
  }

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
      alerting.onSilence(source.id, notice)
    }
  }

  let announceQueued = false
  let announcedAt = -Infinity
  let announceTimer: ReturnType<typeof setTimeout> | null = null
  /**
   * Coalesces health changes into at most one event per `SOURCES_ANNOUNCE_MS`: the first change
   * goes out at once (next microtask), later ones in the window go out together at its end. Each
   * event carries every source, and a cycle of 200 sources changes health about 340 times
   * (polling, live, next check), which was 340 lists of 200 views built and sent to the page.
   */
  function announceSources(): void {
    if (announceQueued) return
    announceQueued = true
    const announce = () => {
      announceQueued = false
      announceTimer = null
      announcedAt = performance.now()
      ports.emit('sources:changed', views())
    }
    const wait = announcedAt + SOURCES_ANNOUNCE_MS - performance.now()
    if (wait <= 0) {
      queueMicrotask(announce)
      return
    }
    announceTimer = setTimeout(announce, wait)
    announceTimer.unref()
  }

  function requireConfig(): ConfigStore {
    if (!config) throw new Error('Earshot is still starting')
    return config
  }
  function requireJournal(): Journal {
    if (!journal) throw new Error('Earshot is still starting')
    return journal
  }

  const credentialState = (source: SourceConfig): CredentialState => {
    if (!takesCredentials(source.kind)) return 'not-needed'
    const stored = credentials?.state(source.id) ?? 'missing'
    // Mastodon reads public hashtags without a token: no token is not a problem there.
    return stored === 'missing' && !credentialsRequired(source) ? 'not-needed' : stored
  }

  const view = (source: SourceConfig): SourceView => {
    const known =
      health.get(source.id) ??
      withRate(source.id, {
        ...initialHealth(source.paused),
        ...pickSaved(healthFile?.saved(source.id), source.paused),
      })
    const credential = credentialState(source)
    return {
      config: source,
      // A rejected source is out of the poller, so its state is said here.
      health: rejected.has(source.id)
        ? { ...known, state: source.paused ? 'paused' : 'credential-invalid', nextCheckAt: null }
        : known,
      credential,
      canReply: connectors[source.kind]?.reply !== undefined && credential === 'set',
    }
  }
  const views = () => (config?.sources ?? []).map(view)

  /** Why a source cannot be checked now, in the responder's words; null when it can. */
  function checkRefused(source: SourceConfig, hasProfile: boolean): string | null {
    if (source.paused) return 'This source is paused: resume it to check it'
    if (!hasProfile) return 'Set up the brand profile first: sources are checked for it'
    if (rejected.has(source.id)) {
      return 'The platform refused this sign-in: enter the credentials again to check it'
    }
    if (credentialsRequired(source) && credentials && credentials.state(source.id) !== 'set') {
      return 'This source signs in: enter its credentials to check it'
    }
    const known = health.get(source.id)
    const wait = (known?.nextCheckAt ?? 0) - now()
    if (known?.state === 'rate-limited' && wait > 0) {
      const minutes = Math.ceil(wait / 60_000)
      const when = minutes <= 1 ? 'in a minute' : `in ${minutes} minutes`
      return `The platform asked Earshot to slow down, so it checks again ${when}, not before`
    }
    return null
  }

  /** Polls nothing until a brand profile exists: the demo needs a brand to talk about. */
  function schedule(): void {
    const current = requireConfig()
    // A source that cannot sign in is not polled: no password, or one the server rejected.
    const pollable = current.sources.filter(
      (s) =>
        !rejected.has(s.id) &&
        !(credentialsRequired(s) && credentials && credentials.state(s.id) !== 'set'),
    )
    poller.setSources(current.profile ? pollable : [])
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
    if (source.kind === 'rss' && input.kind === 'rss') {
      return source.url === input.url || source.firstUrl === input.url
    }
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
    const words = (query: string | undefined) => (query ?? '').trim().toLowerCase()
    if (source.kind === 'bluesky' && input.kind === 'bluesky') {
      return (
        base(source.service) === base(input.service ?? BLUESKY_SERVICE) &&
        source.identifier.toLowerCase() === input.identifier.toLowerCase() &&
        words(source.query) === words(input.query)
      )
    }
    if (source.kind === 'reddit' && input.kind === 'reddit') {
      const subs = (names: readonly string[] | undefined) =>
        [...new Set((names ?? []).map((n) => n.toLowerCase()))].sort().join(' ')
      return (
        base(source.apiBase) === base(input.apiBase ?? REDDIT_API_BASE) &&
        source.username.toLowerCase() === input.username.toLowerCase() &&
        subs(source.subreddits) === subs(input.subreddits) &&
        words(source.query) === words(input.query)
      )
    }
    if (source.kind !== 'hn' || input.kind !== 'hn') return false
    return (
      base(source.apiBase) === base(input.apiBase ?? HN_API_BASE) &&
      words(source.query) === words(input.query)
    )
  }

  /** The config a source input describes, with the defaults of its kind; checks nothing. */
  function configFor(input: SourceInput): SourceConfig {
    const common = { id: newSourceId(input), paused: false, createdAt: now() }
    const named = input.name ? { name: input.name } : null
    switch (input.kind) {
      case 'rss':
        return {
          ...common,
          kind: 'rss',
          url: input.url,
          name: named?.name ?? new URL(input.url).hostname.slice(0, 120),
          intervalSec: input.intervalSec ?? 15 * 60,
        }
      case 'mastodon': {
        const tags = uniqueTags(input.hashtags)
        return {
          ...common,
          kind: 'mastodon',
          instance: input.instance,
          hashtags: tags,
          name:
            named?.name ??
            (tags.length > 0
              ? mastodonName(input.instance, tags)
              : `Mastodon ${new URL(input.instance).host}`),
          intervalSec: input.intervalSec ?? MASTODON_INTERVAL_SEC,
        }
      }
      case 'bluesky':
        return {
          ...common,
          kind: 'bluesky',
          service: input.service ?? BLUESKY_SERVICE,
          identifier: input.identifier,
          ...(input.query ? { query: input.query } : {}),
          name:
            named?.name ??
            `Bluesky ${input.identifier.startsWith('did:') ? '' : '@'}${input.identifier}`,
          intervalSec: input.intervalSec ?? BLUESKY_INTERVAL_SEC,
        }
      case 'reddit':
        return {
          ...common,
          kind: 'reddit',
          apiBase: input.apiBase ?? REDDIT_API_BASE,
          authBase: input.authBase ?? REDDIT_AUTH_BASE,
          username: input.username,
          subreddits: [...new Set(input.subreddits ?? [])],
          ...(input.query ? { query: input.query } : {}),
          name: named?.name ?? `Reddit u/${input.username}`,
          intervalSec: input.intervalSec ?? REDDIT_INTERVAL_SEC,
        }
      case 'hn':
        return {
          ...common,
          kind: 'hn',
          apiBase: input.apiBase ?? HN_API_BASE,
          ...(input.query ? { query: input.query } : {}),
          name: named?.name ?? 'Hacker News',
          intervalSec: input.intervalSec ?? HN_INTERVAL_SEC,
        }
    }
  }

  type Checked = {
    source: SourceConfig
    /** Items the check found. */
    found: number
    /** The secrets to keep: what was typed plus what the check derived (a session). */
    secrets: Record<string, string> | null
  }

  /**
   * Checks a source before saving it, so a typo or a web page is caught while the responder is
   * still looking at the form: a feed is fetched (and its title can name the source), the other
   * kinds are polled once, with the typed credentials and the current brand profile. Throws only
   * `SourceError`, its message scrubbed of the typed secrets.
   */
  async function checkedSource(input: SourceInput): Promise<Checked> {
    const source = configFor(input)
    if (input.kind === 'rss' && source.kind === 'rss') {
      const feed = await testFeed(input.url, http, now)
      const title = feed.title?.trim()
      if (!input.name && title) source.name = title.slice(0, 120)
      return { source, found: feed.items, secrets: null }
    }
    const typed = 'credentials' in input && input.credentials ? { ...input.credentials } : null
    const secrets = typed ? memorySecrets(typed) : undefined
    try {
      const result = await pollSourceOnce(source, {
        http,
        now,
        connectors,
        profile: requireConfig().profile,
        ...(secrets ? { secrets } : {}),
      })
      return { source, found: result.mentions.length, secrets: secrets?.get() ?? null }
    } catch (cause) {
      if (!(cause instanceof SourceError)) throw cause
      const known = [typed, secrets?.get() ?? null]
      throw new SourceError(cause.kind, scrubSecrets(cause.message, known), cause.details)
    }
  }

  /** A failed check in words for the form; `config` errors are the input's fault. */
  const checkFailed = (cause: unknown) => {
    if (!(cause instanceof SourceError)) throw cause
    return err(cause.kind === 'config' ? 'invalid-input' : 'network', cause.message)
  }

  const duplicateMessage = (input: SourceInput): string => {
    switch (input.kind) {
      case 'rss':
        return 'This feed is already a source'
      case 'mastodon':
        return 'These hashtags on this instance are already a source'
      case 'bluesky':
        return 'This Bluesky account with this search is already a source'
      case 'reddit':
        return 'This Reddit account with these subreddits and search is already a source'
      case 'hn':
        return 'Hacker News with this search is already a source'
    }
  }

  const requireCredentials = (): CredentialStore => {
    if (!credentials) throw new Error('Earshot is still starting')
    return credentials
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
          ...requireCredentials().notices(),
          ...requireJournal().problems,
          ...(healthFile?.problem ? [healthFile.problem] : []),
          ...alerting.problems,
          ...(learnerStore?.problem ? [learnerStore.problem] : []),
          ...routing.problems(),
          ...templates.problems(),
          ...outbox.problems(),
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
        return err('conflict', duplicateMessage(input))
      }
      let checked: Checked
      try {
        checked = await checkedSource(input)
      } catch (cause) {
        return checkFailed(cause)
      }
      const { source, secrets } = checked
      // Secrets first, so the source's first scheduled poll finds them; never in sources.json.
      if (secrets) {
        try {
          await requireCredentials().set(source.id, secrets)
        } catch (cause) {
          if (cause instanceof CredentialStoreError) return err('forbidden', cause.message)
          throw cause
        }
      }
      // The demo only stands in until the responder adds a real source.
      const others = requireConfig().sources.filter((s) => s.kind !== 'demo')
      try {
        await saveSources([...others, source])
      } catch (cause) {
        if (secrets) await requireCredentials().delete(source.id)
        throw cause
      }
      logger.info('source added', { id: source.id, kind: source.kind })
      return ok(view(source))
    },
    'sources:importOpml': async ({ opml }) => {
      let reading: OpmlReading
      try {
        // Another program's file is untrusted input: it is read in the parse worker.
        reading = await sharedParsePool().run('opml', opml)
      } catch (cause) {
        if (cause instanceof SourceError) return err('invalid-input', cause.message)
        throw cause
      }
      const current = requireConfig()
      const refused = [...reading.refused]
      const added: SourceConfig[] = []
      let already = 0
      for (const feed of reading.feeds) {
        const title = feed.title ? { name: feed.title } : {}
        const parsed = sourceInputSchema.safeParse({ kind: 'rss', url: feed.url, ...title })
        if (!parsed.success) {
          refused.push({ feed: feed.title ?? feed.url, reason: 'it is not a full web address' })
          continue
        }
        const input = parsed.data
        if ([...current.sources, ...added].some((s) => sameSource(s, input))) already += 1
        else added.push(configFor(input))
      }
      if (added.length > 0) {
        // Checked on their first polls, spread out as any new sources are; the demo makes way.
        const others = current.sources.filter((s) => s.kind !== 'demo')
        await saveSources([...others, ...added])
      }
      logger.info('feeds imported from OPML', {
        added: added.length,
        already,
        refused: refused.length,
      })
      return ok({ added: added.map(view), already, refused })
    },
    'sources:exportOpml': async () => {
      const feeds = requireConfig().sources.flatMap((s) =>
        s.kind === 'rss' ? [{ url: s.url, title: s.name }] : [],
      )
      return ok({ opml: writeOpml(feeds, new Date(now())), feeds: feeds.length })
    },
    'sources:setPaused': async ({ id, paused }) => {
      const current = requireConfig()
      const found = current.sources.find((s) => s.id === id)
      if (!found) return err('not-found', 'No such source')
      const updated = { ...found, paused }
      await saveSources(current.sources.map((s) => (s.id === id ? updated : s)))
      return ok(view(updated))
    },
    'sources:update': async ({ id, changes }) => {
      const current = requireConfig()
      const found = current.sources.find((s) => s.id === id)
      if (!found) return err('not-found', 'No such source')
      if (found.kind === 'demo') return err('invalid-input', 'The Demo source cannot be edited')
      const updated: SourceConfig = {
        ...found,
        name: changes.name ?? found.name,
        intervalSec: changes.intervalSec ?? found.intervalSec,
      }
      await saveSources(current.sources.map((s) => (s.id === id ? updated : s)))
      logger.info('source edited', { id, kind: found.kind })
      return ok(view(updated))
    },
    'sources:remove': async ({ id }) => {
      const current = requireConfig()
      if (!current.sources.some((s) => s.id === id)) return err('not-found', 'No such source')
      rejected.delete(id)
      await saveSources(current.sources.filter((s) => s.id !== id))
      await requireCredentials().delete(id)
      health.delete(id)
      rates.delete(id)
      healthFile?.update(id, null)
      healthFile?.updateRate(id, null)
      await requireJournal().dropCursor(id)
      return ok({})
    },
    'sources:checkNow': async ({ id }) => {
      const current = requireConfig()
      const source = current.sources.find((s) => s.id === id)
      if (!source) return err('not-found', 'No such source')
      const refused = checkRefused(source, current.profile !== null)
      if (refused) return err('conflict', refused)
      await poller.pollNow(id)
      // The poll may have changed the source (a feed that moved): answer with what it is now.
      const checked = requireConfig().sources.find((s) => s.id === id)
      return checked ? ok(view(checked)) : err('not-found', 'The source was removed meanwhile')
    },
    'delivery:pending': async ({ afterSeq }) => {
      const store = requireJournal()
      // Asking for what follows `afterSeq` says everything up to it is stored.
      if (afterSeq > 0) await store.ack(afterSeq)
      return ok({ journal: store.id, ...(await store.pending(afterSeq, PENDING_PAGE_MENTIONS)) })
    },
    'delivery:ack': async ({ seq }) => {
      await requireJournal().ack(seq)
      return ok({})
    },
    'shell:openExternal': async ({ url }) => {
      if (!isSafeExternal(url) && !isSafeMailto(url)) {
        return err('forbidden', 'This link cannot be opened')
      }
      if (ports.host === 'web') return ok({ openedBy: 'page' as const })
      await ports.openExternal(url)
      return ok({ openedBy: 'host' as const })
    },
    'network:status': async () => ok(network),
    'alerts:setUnhandled': async ({ count }) => {
      ports.setUnhandled(count)
      return ok({})
    },
    'alerts:getPolicy': async () => ok(alerting.getPolicy()),
    'alerts:savePolicy': async ({ policy }) => ok(await alerting.savePolicy(policy)),
    'alerts:remind': async (alert) => ok({ notified: alerting.remind(alert) }),
    'alerts:acknowledge': async ({ mentionId }) => {
      await alerting.acknowledge(mentionId)
      return ok({})
    },
    ...createLearnerHandlers({
      store: () => {
        if (!learnerStore) throw new Error('Earshot is still starting')
        return learnerStore
      },
      profile: () => config?.profile ?? null,
      now,
    }),
    ...routing.handlers,
    ...templates.handlers,
    ...outbox.handlers,
    ...backups.handlers,
    ...createThreadHandler({
      http,
      now,
      logger,
      source: (id) => config?.sources.find((s) => s.id === id),
      connector: (kind) => connectors[kind],
      secretsFor: (source) =>
        credentials && takesCredentials(source.kind) ? credentials.access(source.id) : undefined,
    }),
    ...createHandoffSender({
      http,
      logger,
      routing: async () => {
        const current = await routing.handlers['routing:get']({})
        return current.ok ? current.value : null
      },
    }),
    'sources:test': async ({ source: input }) => {
      try {
        const { found } = await checkedSource(input)
        const items = `${found} ${found === 1 ? 'item' : 'items'}`
        return ok({
          found,
          message:
            input.kind === 'rss'
              ? `The feed works: it holds ${items} right now.`
              : `Connected: this check found ${items}.`,
        })
      } catch (cause) {
        return checkFailed(cause)
      }
    },
    'sources:setCredentials': async ({ id, credentials: typed }) => {
      const source = requireConfig().sources.find((s) => s.id === id)
      if (!source) return err('not-found', 'No such source')
      const schema = credentialSchemaFor(source.kind)
      if (!schema) return err('invalid-input', `${source.name} takes no credentials`)
      const parsed = schema.safeParse(typed)
      if (!parsed.success) {
        // Names the field only: a validator's message must never carry what was typed.
        const field = parsed.error.issues[0]?.path.join('.') || 'credentials'
        return err('invalid-input', `Check the ${field} field: it is missing or not valid`)
      }
      try {
        // Replaces everything, derived sessions too: they belonged to the old sign-in.
        await requireCredentials().set(id, parsed.data)
      } catch (cause) {
        if (cause instanceof CredentialStoreError) return err('forbidden', cause.message)
        throw cause
      }
      rejected.delete(id)
      const known = health.get(id)
      if (known?.state === 'credential-invalid') {
        health.set(id, { ...known, state: 'waiting' })
      }
      schedule()
      if (requireConfig().profile && !source.paused) void poller.pollNow(id)
      announceSources()
      logger.info('source credentials set', { id, kind: source.kind })
      return ok(view(source))
    },
    'triage:batch': async ({ items }) => {
      const at = now()
      return ok(items.map((heard) => triage.score(heard, at)))
    },
  }

  return {
    handlers,
    async start() {
      // Before the first request: the system's certificate authorities count, as in the browser.
      trustSystemOnce(logger)
      await mkdir(ports.dataDir, { recursive: true })
      config = await loadConfig(ports.dataDir, now)
      journal = await openJournal({
        journalPath: join(ports.dataDir, 'journal.jsonl'),
        statePath: join(ports.dataDir, 'delivery.json'),
        logger,
        // The polls running together finish together: their batches share a write and fsync.
        writers: () => poller.running(),
      })
      healthFile = await openHealthFile(join(ports.dataDir, 'health.json'), logger)
      await alerting.start()
      for (const problem of alerting.problems) logger.warn(problem)
      learnerStore = await openLearnerStore(join(ports.dataDir, 'learner.json'), logger)
      await routing.start()
      credentials = await openCredentialStore({
        dataDir: ports.dataDir,
        cipher: ports.cipher ?? null,
        allowPlainText: ports.allowPlainCredentials ?? false,
        ...(ports.plainCredentialsHint ? { optInHint: ports.plainCredentialsHint } : {}),
        logger,
        now,
      })
      for (const source of config.sources) {
        if (
          takesCredentials(source.kind) &&
          healthFile.saved(source.id)?.state === 'credential-invalid'
        ) {
          rejected.add(source.id)
        }
      }
      sharedParsePool().warm()
      for (const problem of [...config.problems, ...journal.problems]) logger.warn(problem)
      await templates.start()
      await outbox.start()
      await backups.start()
      schedule()
    },
    async stop() {
      await poller.stop()
      if (announceTimer) clearTimeout(announceTimer)
      announceTimer = null
      await outbox.stop()
      await backups.stop()
      await alerting.stop()
      await healthFile?.flush()
      await learnerStore?.flush()
      await credentials?.flush()
      await journal?.close()
    },
  }
}
