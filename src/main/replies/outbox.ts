/* The reply outbox: every reply intent is written to `replies.json` (atomically, fsync'd) before
   its request goes out, so a crash can never post a reply Earshot forgot, nor post one twice. */
import { join } from 'node:path'
import { z } from 'zod'
import type { CallHandlers, EventName, EventPayload } from '../../shared/contract'
import type { SourceConfig } from '../../shared/domain'
import { replyRecordSchema, type ReplyRecord } from '../../shared/replies'
import { err, ok } from '../../shared/result'
import { MASTODON_DEFAULT_LIMIT, countLength, countedReply } from '../../shared/templates'
import { loadJsonFile, writeJsonFile } from '../journal/json-file'
import type { Logger } from '../log'
import {
  SourceError,
  type Connector,
  type PollContext,
  type SecretAccess,
} from '../sources/connector'
import type { HttpClient } from '../sources/http'

const fileSchema = z.object({ version: z.literal(1), replies: z.array(replyRecordSchema) })

/** Sent replies kept for the outbox list; unsettled ones are always kept. */
export const KEEP_SENT = 200
/** Backoff for network failures before the platform had the request: 2 s doubling, to 5 min. */
export const RETRY_BASE_MS = 2_000
export const RETRY_MAX_MS = 5 * 60_000

export type OutboxDeps = {
  dataDir: string
  now: () => number
  logger: Logger
  http: HttpClient
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  source(id: string): SourceConfig | undefined
  connector(kind: SourceConfig['kind']): Connector | undefined
  secretsFor(source: SourceConfig): SecretAccess | undefined
  /** Timers, injectable for tests. */
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export type Outbox = {
  start(): Promise<void>
  stop(): Promise<void>
  problems(): string[]
  /** Tries every queued reply now (the network is back). */
  retryQueued(): void
  /** Resolves once no request is out (tests, and a clean stop). */
  idle(): Promise<void>
  handlers: Pick<
    CallHandlers,
    'replies:send' | 'replies:list' | 'replies:resolve' | 'replies:limit'
  >
}

/**
 * A failure the platform never saw: the request did not leave this machine (the HTTP layer says
 * so in `neverSent`). A connection cut off after the request went out may have posted it, so that
 * one is `unknown`, like a timeout.
 */
export const neverReached = (error: SourceError): boolean => error.details.neverSent === true

export function createOutbox(deps: OutboxDeps): Outbox {
  const path = join(deps.dataDir, 'replies.json')
  const { logger, now } = deps
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms))
  const clearTimer = deps.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout))
  let records: ReplyRecord[] | null = null
  let problem: string | null = null
  let stopped = false
  /** Writes are serialised: the file always holds a state that happened. */
  let writing: Promise<void> = Promise.resolve()
  const timers = new Map<string, unknown>()
  const inFlight = new Set<string>()
  const running = new Set<Promise<unknown>>()

  /** Starts a request in the background; its states arrive as `replies:changed`. */
  function launch(clientId: string): void {
    const run = attempt(clientId).catch((cause: unknown) => {
      logger.error('reply attempt failed', { error: String(cause) })
    })
    running.add(run)
    void run.finally(() => running.delete(run))
  }
  const limits = new Map<string, number>()

  const requireRecords = (): ReplyRecord[] => {
    if (!records) throw new Error('Earshot is still starting')
    return records
  }

  function listed(): ReplyRecord[] {
    return [...requireRecords()].sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Saves every record (fsync'd) and then tells the renderer. */
  async function persist(): Promise<void> {
    const all = requireRecords()
    const sent = all.filter((r) => r.state === 'sent').sort((a, b) => b.updatedAt - a.updatedAt)
    const forget = new Set(sent.slice(KEEP_SENT).map((r) => r.clientId))
    records = all.filter((r) => !forget.has(r.clientId))
    const snapshot = records.map((r) => ({ ...r }))
    const write = writing.then(() => writeJsonFile(path, { version: 1, replies: snapshot }))
    writing = write.catch(() => undefined)
    await write
    deps.emit('replies:changed', listed())
  }

  function update(clientId: string, patch: Partial<ReplyRecord>): ReplyRecord {
    const all = requireRecords()
    const index = all.findIndex((r) => r.clientId === clientId)
    const current = all[index]
    if (!current) throw new Error('No such reply')
    const next: ReplyRecord = { ...current, ...patch, updatedAt: now() }
    all[index] = next
    return next
  }

  function schedule(record: ReplyRecord): void {
    if (stopped || record.state !== 'queued') return
    const old = timers.get(record.clientId)
    if (old !== undefined) clearTimer(old)
    const wait = Math.max(0, (record.nextAttemptAt ?? now()) - now())
    timers.set(
      record.clientId,
      setTimer(() => {
        timers.delete(record.clientId)
        launch(record.clientId)
      }, wait),
    )
  }

  /** One request for a queued reply; the `sending` state is on disk before it goes out. */
  async function attempt(clientId: string): Promise<ReplyRecord> {
    const current = requireRecords().find((r) => r.clientId === clientId)
    if (!current) throw new Error('No such reply')
    if (current.state !== 'queued' || inFlight.has(clientId) || stopped) return current
    const source = deps.source(current.sourceId)
    const connector = source ? deps.connector(source.kind) : undefined
    if (!source || !connector?.reply) {
      const failed = update(clientId, {
        state: 'failed',
        nextAttemptAt: null,
        error: source
          ? `${source.name} cannot post replies: copy the text and answer on the platform`
          : 'The source of this mention was removed, so the reply cannot be posted',
      })
      await persist()
      return failed
    }
    inFlight.add(clientId)
    try {
      update(clientId, { state: 'sending', attempts: current.attempts + 1, nextAttemptAt: null })
      await persist()
      const secrets = deps.secretsFor(source)
      const ctx: PollContext = { http: deps.http, now, ...(secrets ? { secrets } : {}) }
      try {
        const result = await connector.reply(
          source,
          { target: current.mention, text: current.text, idempotencyKey: clientId },
          ctx,
        )
        const sent = update(clientId, {
          state: 'sent',
          error: null,
          remoteId: result.remoteId,
          url: result.url,
        })
        logger.info('reply sent', { sourceId: source.id, attempts: sent.attempts })
        await persist()
        return sent
      } catch (cause) {
        const next = settleFailure(clientId, cause, current.attempts + 1)
        await persist()
        schedule(next)
        return next
      }
    } finally {
      inFlight.delete(clientId)
    }
  }

  function settleFailure(clientId: string, cause: unknown, attempts: number): ReplyRecord {
    if (!(cause instanceof SourceError)) {
      logger.error('reply failed unexpectedly', { error: String(cause) })
      return update(clientId, {
        state: 'unknown',
        error: 'Something unexpected happened while sending: check the post before sending again',
      })
    }
    logger.warn('reply not sent', { kind: cause.kind, status: cause.details.status })
    if (neverReached(cause) || cause.kind === 'rate-limited') {
      const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempts - 1, 16))
      const wait = Math.max(backoff, cause.details.retryAfterMs ?? 0)
      // What it waits for: the connection, the platform's pause, or (a proxy's refusal, which
      // the responder may be fixing meanwhile) simply the next try.
      const until =
        cause.kind === 'network' || cause.kind === 'timeout'
          ? 'it will be sent when the connection is back'
          : cause.kind === 'rate-limited'
            ? 'it will be sent once the wait is over'
            : 'it will be tried again'
      return update(clientId, {
        state: 'queued',
        nextAttemptAt: now() + wait,
        error: `${cause.message}; ${until}`,
      })
    }
    if (cause.kind === 'timeout' || cause.kind === 'network') {
      return update(clientId, {
        state: 'unknown',
        error: `${cause.message}. The reply may or may not be posted: check the conversation, then say whether it was sent`,
      })
    }
    return update(clientId, { state: 'failed', nextAttemptAt: null, error: cause.message })
  }

  async function mastodonLimit(source: SourceConfig & { kind: 'mastodon' }): Promise<number> {
    const base = source.instance.replace(/\/+$/, '')
    const known = limits.get(base)
    if (known !== undefined) return known
    let limit = MASTODON_DEFAULT_LIMIT
    try {
      const response = await deps.http.get(`${base}/api/v2/instance`, {
        headers: { accept: 'application/json' },
        subject: source.name,
      })
      const parsed = z
        .object({
          configuration: z.object({
            statuses: z.object({ max_characters: z.number().int().positive() }),
          }),
        })
        .safeParse(JSON.parse(response.body))
      if (parsed.success) limit = parsed.data.configuration.statuses.max_characters
    } catch {
      // The instance did not say: Mastodon's own default holds. Asked again next session.
      return limit
    }
    limits.set(base, limit)
    return limit
  }

  return {
    async start() {
      const loaded = await loadJsonFile(path, fileSchema, { version: 1, replies: [] }, now)
      problem = loaded.problem
      if (problem) logger.warn(problem)
      records = loaded.value.replies
      // A reply that was `sending` when Earshot stopped may have been posted: never resend it.
      let changed = false
      for (const record of records) {
        if (record.state === 'sending') {
          update(record.clientId, {
            state: 'unknown',
            error:
              'Earshot stopped while this reply was being sent. It may or may not be posted: check the conversation, then say whether it was sent',
          })
          changed = true
        }
      }
      if (changed) await persist()
      for (const record of records) schedule(record)
    },
    async stop() {
      stopped = true
      for (const timer of timers.values()) clearTimer(timer)
      timers.clear()
      await Promise.allSettled([...running])
      await writing
    },
    problems: () => (problem ? [problem] : []),
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running])
    },
    retryQueued() {
      for (const record of records ?? []) {
        if (record.state === 'queued') schedule({ ...record, nextAttemptAt: now() })
      }
    },
    handlers: {
      'replies:send': async ({ mentionId, mention, text, clientId }) => {
        const all = requireRecords()
        const known = all.find((r) => r.clientId === clientId)
        // The same intent twice (a double click, a renderer retry): one reply.
        if (known) return ok(known)
        if (
          all.some((r) => r.mentionId === mentionId && r.state !== 'failed' && r.state !== 'sent')
        )
          return err('conflict', 'A reply to this mention is already in the outbox')
        const source = deps.source(mention.sourceId)
        if (!source) return err('not-found', 'The source of this mention was removed')
        if (!deps.connector(source.kind)?.reply) {
          return err(
            'invalid-input',
            `${source.name} cannot post replies: copy the text and answer on the platform`,
          )
        }
        const limit =
          source.kind === 'mastodon' ? await mastodonLimit(source) : (null as number | null)
        const length = countLength(
          countedReply(text, mention.platform, mention.author.handle),
          mention.platform,
          limit,
        )
        if (!length.fits) {
          return err(
            'invalid-input',
            `The reply is ${length.length} characters; ${source.name} allows ${length.limit}`,
          )
        }
        const at = now()
        const record: ReplyRecord = {
          clientId,
          mentionId,
          sourceId: source.id,
          platform: mention.platform,
          mention,
          text,
          state: 'queued',
          createdAt: at,
          updatedAt: at,
          attempts: 0,
          nextAttemptAt: null,
          error: null,
          remoteId: null,
          url: null,
        }
        all.push(record)
        // The intent is on disk before any request: a crash from here on is never a lost reply.
        await persist()
        launch(clientId)
        return ok(record)
      },
      'replies:list': async () => ok(listed()),
      'replies:resolve': async ({ clientId, outcome }) => {
        const all = requireRecords()
        const record = all.find((r) => r.clientId === clientId)
        if (!record) return err('not-found', 'This reply is no longer in the outbox')
        if (record.state === 'sending' || record.state === 'sent') {
          return err('conflict', `This reply is ${record.state}: nothing to resolve`)
        }
        if (outcome === 'discard') {
          records = all.filter((r) => r.clientId !== clientId)
          const timer = timers.get(clientId)
          if (timer !== undefined) clearTimer(timer)
          await persist()
          return ok(null)
        }
        if (outcome === 'sent') {
          const sent = update(clientId, { state: 'sent', error: null, nextAttemptAt: null })
          await persist()
          return ok(sent)
        }
        // The same idempotency key again: a platform that has it already answers with that post.
        const queued = update(clientId, { state: 'queued', nextAttemptAt: null, error: null })
        await persist()
        launch(clientId)
        return ok(queued)
      },
      'replies:limit': async ({ id }) => {
        const source = deps.source(id)
        if (!source) return err('not-found', 'No such source')
        const platform = source.kind
        if (!deps.connector(source.kind)?.reply) return ok({ platform, limit: null })
        if (source.kind === 'mastodon') return ok({ platform, limit: await mastodonLimit(source) })
        return ok({ platform, limit: countLength('', platform).limit })
      },
    },
  }
}
