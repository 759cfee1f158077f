import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOutbox, type Outbox } from '../../../../src/main/replies/outbox'
import { silentLogger } from '../../../../src/main/log'
import { SourceError } from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent, type HttpClient } from '../../../../src/main/sources/http'
import { createMastodonConnector, statusToMention } from '../../../../src/main/sources/mastodon'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import type { Mention } from '../../../../src/shared/domain'
import { sourceConfigSchema } from '../../../../src/shared/domain'
import type { ReplyRecord } from '../../../../src/shared/replies'
import type { MastodonServer } from '../../../fixtures/mastodon-server'
import {
  account,
  BRAND_TOKEN,
  startMastodonServer,
  status,
} from '../../../fixtures/mastodon-server'

const NOW = Date.parse('2026-10-01T12:00:00Z')
const connector = createMastodonConnector(() => ({
  brand: 'Acme',
  handles: [{ platform: 'mastodon', handle: '@acme@mastodon.example' }],
  products: [],
  competitors: [],
  excluded: [],
}))

let server: MastodonServer
let dir: string
let clock: number
let timers: { run: () => void; at: number }[]
let events: ReplyRecord[][]
let opened: Outbox[]

beforeEach(async () => {
  server = await startMastodonServer()
  dir = await mkdtemp(join(tmpdir(), 'earshot-outbox-'))
  clock = NOW
  timers = []
  events = []
  opened = []
})
afterEach(async () => {
  for (const outbox of opened) await outbox.stop()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

const source = () =>
  sourceConfigSchema.parse({
    id: 'mastodon-1',
    kind: 'mastodon',
    name: 'Acme on mastodon.example',
    instance: server.origin,
    hashtags: ['acme'],
    paused: false,
    createdAt: 0,
  })

function open(
  http: HttpClient = createHttpClient({ userAgent: userAgent('t'), timeoutMs: 3_000 }),
) {
  const outbox = createOutbox({
    dataDir: dir,
    now: () => clock,
    logger: silentLogger,
    http,
    emit: (_event, payload) => events.push(payload as ReplyRecord[]),
    source: (id) => (id === 'mastodon-1' ? source() : undefined),
    connector: (kind) => (kind === 'mastodon' ? connector : undefined),
    secretsFor: () => memorySecrets({ accessToken: BRAND_TOKEN }),
    setTimer: (run, ms) => {
      const timer = { run, at: clock + ms }
      timers.push(timer)
      return timer
    },
    clearTimer: (timer) => {
      timers = timers.filter((t) => t !== timer)
    },
  })
  opened.push(outbox)
  return outbox
}

/** Advances the fake clock and runs the timers due by then. */
function advance(ms: number) {
  clock += ms
  const due = timers.filter((t) => t.at <= clock)
  timers = timers.filter((t) => t.at > clock)
  for (const timer of due) timer.run()
}

function complaint(): Mention {
  const post = status('113200000000000040', '2026-10-01T11:55:00.000Z', '@acme my order?', [], {
    account: account('erin'),
  })
  server.statuses.push(post)
  const heard = statusToMention(post, 'mastodon-1', '127.0.0.1', NOW, {
    instanceOrigin: server.origin,
  })
  return {
    ...heard,
    triage: {
      sentiment: { score: -2, comparative: -1, label: 'negative', words: [] },
      intent: 'complaint',
      directed: true,
      urgency: 80,
      reasons: [],
      matched: ['Acme'],
    },
  }
}

/** Sends one reply through an outbox whose every send fails with `failure`; its record after. */
async function replyThatFails(
  failure: SourceError,
): Promise<{ outbox: Outbox; record: ReplyRecord | undefined }> {
  const failing: HttpClient = {
    get: (url, request) => createHttpClient({ userAgent: userAgent('t') }).get(url, request),
    send: () => Promise.reject(failure),
  }
  const outbox = open(failing)
  await outbox.start()
  const mention = complaint()
  await outbox.handlers['replies:send']({
    mentionId: mention.id,
    mention,
    text: 'Hi',
    clientId: randomUUID(),
  })
  await outbox.idle()
  const [record] = value(await outbox.handlers['replies:list']({}))
  return { outbox, record }
}

async function saved(): Promise<ReplyRecord[]> {
  const file = JSON.parse(await readFile(join(dir, 'replies.json'), 'utf8')) as {
    replies: ReplyRecord[]
  }
  return file.replies
}

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

describe('the reply outbox', () => {
  it('stores the intent before the request and posts exactly once per clientId', async () => {
    const outbox = open()
    await outbox.start()
    const mention = complaint()
    const clientId = randomUUID()
    server.hangPosts = true
    const queued = value(
      await outbox.handlers['replies:send']({
        mentionId: mention.id,
        mention,
        text: 'We hear you, Erin.',
        clientId,
      }),
    )
    expect(queued.state).toBe('queued')
    // The request reached the platform: by then the intent is on disk as `sending`.
    await until(() => server.posts.length === 1)
    expect((await saved()).map((r) => [r.clientId, r.state])).toEqual([[clientId, 'sending']])
    expect(server.posts[0]?.headers['idempotency-key']).toBe(clientId)
    await outbox.stop()
  })

  it('sends in reply to the post, and a repeated send of one intent posts nothing more', async () => {
    const outbox = open()
    await outbox.start()
    const mention = complaint()
    const input = { mentionId: mention.id, mention, text: 'We hear you.', clientId: randomUUID() }
    await outbox.handlers['replies:send'](input)
    await outbox.idle()
    const sent = value(await outbox.handlers['replies:list']({}))
    expect(sent.map((r) => r.state)).toEqual(['sent'])
    expect(sent[0]?.remoteId).toBe(server.posted[0]?.uri)
    expect(server.posted.map((p) => p.in_reply_to_id)).toEqual(['113200000000000040'])
    expect(server.posts[0]?.body['status']).toBe('@erin@127.0.0.1 We hear you.')
    expect(events.at(-1)?.[0]?.state).toBe('sent')

    const again = value(await outbox.handlers['replies:send'](input))
    await outbox.idle()
    expect(again.state).toBe('sent')
    expect(server.posts).toHaveLength(1)
  })

  it('marks a timeout unknown, never resends it, even after a restart, until resolved', async () => {
    const slow = createHttpClient({ userAgent: userAgent('t'), timeoutMs: 300 })
    const first = open(slow)
    await first.start()
    const mention = complaint()
    const clientId = randomUUID()
    server.hangPosts = true
    await first.handlers['replies:send']({
      mentionId: mention.id,
      mention,
      text: 'Sorry!',
      clientId,
    })
    await first.idle()
    const [unknown] = value(await first.handlers['replies:list']({}))
    expect(unknown?.state).toBe('unknown')
    expect(unknown?.error).toMatch(/may or may not be posted/)
    await first.stop()

    server.hangPosts = false
    const second = open()
    await second.start()
    advance(60 * 60_000)
    await second.idle()
    expect(server.posts).toHaveLength(1)
    expect(value(await second.handlers['replies:list']({}))[0]?.state).toBe('unknown')
    // A second reply to the same mention waits until this one is settled.
    const blocked = await second.handlers['replies:send']({
      mentionId: mention.id,
      mention,
      text: 'Sorry again',
      clientId: randomUUID(),
    })
    expect(blocked.ok).toBe(false)

    // The responder checks, sees nothing, and retries: the same key, one status in all.
    await second.handlers['replies:resolve']({ clientId, outcome: 'retry' })
    await second.idle()
    expect(value(await second.handlers['replies:list']({}))[0]?.state).toBe('sent')
    expect(server.posted).toHaveLength(1)
    expect(server.posts.map((p) => p.headers['idempotency-key'])).toEqual([clientId, clientId])
  })

  it('takes a reply that was sending when Earshot stopped as unknown, without a request', async () => {
    const mention = complaint()
    const clientId = randomUUID()
    const record: ReplyRecord = {
      clientId,
      mentionId: mention.id,
      sourceId: 'mastodon-1',
      platform: 'mastodon',
      mention,
      text: 'Sorry!',
      state: 'sending',
      createdAt: NOW,
      updatedAt: NOW,
      attempts: 1,
      nextAttemptAt: null,
      error: null,
      remoteId: null,
      url: null,
    }
    await writeFile(join(dir, 'replies.json'), JSON.stringify({ version: 1, replies: [record] }))
    const outbox = open()
    await outbox.start()
    advance(60 * 60_000)
    await outbox.idle()
    expect(server.posts).toHaveLength(0)
    expect((await saved())[0]?.state).toBe('unknown')
    // Resolved as sent by the responder: it leaves the unsettled list with no post made.
    const resolved = value(await outbox.handlers['replies:resolve']({ clientId, outcome: 'sent' }))
    expect(resolved?.state).toBe('sent')
    expect(server.posts).toHaveLength(0)
  })

  it('marks a reply unknown when the connection was cut off after the request went out', async () => {
    // Same kind as a refused connection, but the platform may have had it.
    const { outbox, record } = await replyThatFails(
      new SourceError('network', 'The connection to 127.0.0.1 was cut off'),
    )
    expect(record?.state).toBe('unknown')
    advance(60 * 60_000)
    await outbox.idle()
    expect(value(await outbox.handlers['replies:list']({}))[0]?.attempts).toBe(1)
    await outbox.stop()
  })

  it('keeps a reply queued while the network is down and sends it once it is back', async () => {
    const real = createHttpClient({ userAgent: userAgent('t'), timeoutMs: 3_000 })
    let offline = true
    const flaky: HttpClient = {
      get: (url, request) => real.get(url, request),
      send: (url, request) => {
        if (offline) {
          return Promise.reject(
            new SourceError('network', '127.0.0.1 refused the connection', { neverSent: true }),
          )
        }
        return real.send(url, request)
      },
    }
    const outbox = open(flaky)
    await outbox.start()
    const mention = complaint()
    const clientId = randomUUID()
    await outbox.handlers['replies:send']({ mentionId: mention.id, mention, text: 'Hi', clientId })
    await outbox.idle()
    let [record] = value(await outbox.handlers['replies:list']({}))
    expect(record?.state).toBe('queued')
    expect(record?.error).toMatch(/refused the connection; it will be sent when/)
    // Backoff: tried again later, still down, waits longer.
    advance(2_000)
    await outbox.idle()
    ;[record] = value(await outbox.handlers['replies:list']({}))
    expect(record?.attempts).toBe(2)
    expect(record?.nextAttemptAt).toBe(clock + 4_000)
    offline = false
    advance(4_000)
    await outbox.idle()
    ;[record] = value(await outbox.handlers['replies:list']({}))
    expect(record?.state).toBe('sent')
    expect(server.posted).toHaveLength(1)
  })

  it.each([
    [
      new SourceError(
        'rate-limited',
        'Mastodon asked Earshot to slow down (429 Too Many Requests)',
        {
          status: 429,
          retryAfterMs: 60_000,
        },
      ),
      'Mastodon asked Earshot to slow down (429 Too Many Requests); it will be sent once the wait is over',
    ],
    [
      new SourceError(
        'http',
        'The proxy at 10.0.0.1:3128 would not connect to mastodon.example:443 (403 Forbidden)',
        { status: 403, neverSent: true },
      ),
      'The proxy at 10.0.0.1:3128 would not connect to mastodon.example:443 (403 Forbidden); it will be tried again',
    ],
  ])('keeps a reply queued with words for what it waits for: %s', async (refusal, words) => {
    const { record } = await replyThatFails(refusal)
    expect(record).toMatchObject({ state: 'queued', error: words })
    expect(server.posted).toHaveLength(0)
  })

  it('says in words why the platform refused a reply, and can discard it', async () => {
    server.apiOverride = (path) =>
      path === '/api/v1/statuses'
        ? { status: 422, body: '{"error":"Validation failed: Text is a duplicate"}' }
        : undefined
    const outbox = open()
    await outbox.start()
    const mention = complaint()
    const clientId = randomUUID()
    await outbox.handlers['replies:send']({ mentionId: mention.id, mention, text: 'Hi', clientId })
    await outbox.idle()
    const [failed] = value(await outbox.handlers['replies:list']({}))
    expect(failed?.state).toBe('failed')
    expect(failed?.error).toMatch(/refused the reply \(422\): Validation failed/)
    expect(value(await outbox.handlers['replies:resolve']({ clientId, outcome: 'discard' }))).toBe(
      null,
    )
    expect(value(await outbox.handlers['replies:list']({}))).toEqual([])
  })

  it('refuses a reply longer than the instance allows, before any request', async () => {
    const outbox = open()
    await outbox.start()
    const mention = complaint()
    const result = await outbox.handlers['replies:send']({
      mentionId: mention.id,
      mention,
      // 495 characters, plus the `@erin ` Mastodon puts in front: one over.
      text: 'x'.repeat(495),
      clientId: randomUUID(),
    })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.message).toMatch(/501 characters; .* allows 500/)
    expect(server.posts).toHaveLength(0)
    expect(value(await outbox.handlers['replies:limit']({ id: 'mastodon-1' }))).toEqual({
      platform: 'mastodon',
      limit: 500,
    })
  })
})
