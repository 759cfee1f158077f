import { createServer } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BrandProfile, HeardMention, SourceConfig } from '../../../../src/shared/domain'
import { mentionSchema, sourceConfigSchema } from '../../../../src/shared/domain'
import type {
  PollContext,
  PollResult,
  SecretAccess,
  SourceCursor,
} from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import {
  MAX_PAGES,
  OVERLAP_MS,
  blueskyQueries,
  createBlueskyConnector,
  linkFacets,
  replyRkey,
} from '../../../../src/main/sources/bluesky'
import {
  parseNotificationPage,
  parseSearchPage,
  parseThread,
  postToMention,
} from '../../../../src/main/sources/bluesky-parse'
import { SEARCH_NEEDS_LOGIN } from '../../../../src/main/sources/bluesky-session'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import { createConnectors } from '../../../../src/main/sources/index'
import type { BlueskyServer, PostViewJson } from '../../../fixtures/bluesky-server'
import {
  APP_PASSWORD,
  BRAND_DID,
  BRAND_HANDLE,
  notification,
  post,
  profile,
  startBlueskyServer,
} from '../../../fixtures/bluesky-server'
import { listenOnLoopback } from '../../../fixtures/loopback'
import { mutateText, seeded } from '../../../fixtures/seeded'
import { failure } from '../../../fixtures/source-failure'

type BlueskyConfig = Extract<SourceConfig, { kind: 'bluesky' }>

const NOW = Date.parse('2026-10-01T12:00:00Z')
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString()
const MIN = 60_000
const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 })

const brand: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'bluesky', handle: BRAND_HANDLE }],
  products: ['Acme Cloud', 'Road Runner'],
  competitors: [],
  excluded: ['anvils'],
}

const alice = profile('alice.bsky.social', 'Alice')
const bob = profile('bob.example.com', 'Bob')
const carol = profile('carol.bsky.social')

const triageStub = {
  sentiment: { score: 0, comparative: 0, label: 'neutral' as const, words: [] },
  directed: false,
  urgency: 0,
  reasons: [],
  matched: [],
}
const valid = (mention: HeardMention) => mentionSchema.safeParse({ ...mention, triage: triageStub })

let server: BlueskyServer
let secrets: SecretAccess
beforeEach(async () => {
  server = await startBlueskyServer()
  secrets = memorySecrets({ appPassword: APP_PASSWORD })
})
afterEach(async () => {
  await server.close()
})

const source = (extra: Partial<BlueskyConfig> = {}): BlueskyConfig =>
  sourceConfigSchema.parse({
    id: 'bsky-1',
    kind: 'bluesky',
    name: 'Bluesky',
    service: server.origin,
    identifier: BRAND_HANDLE,
    paused: false,
    createdAt: 0,
    ...extra,
  }) as BlueskyConfig

const context = (now = NOW): PollContext => ({ http, now: () => now, secrets })

function poll(
  cursor?: SourceCursor,
  opts: { now?: number; profile?: BrandProfile | null; config?: Partial<BlueskyConfig> } = {},
): Promise<PollResult> {
  const connector = createBlueskyConnector(() =>
    opts.profile === undefined ? brand : opts.profile,
  )
  return connector.poll(source(opts.config), cursor, context(opts.now))
}

const calls = (nsid: string) => server.requests.filter((r) => r.path === `/xrpc/${nsid}`)
const ids = (result: { mentions: HeardMention[] } | HeardMention[]) =>
  (Array.isArray(result) ? result : result.mentions).map((m) => m.id)
const idOf = (p: PostViewJson) => `bluesky:${p.uri}`

describe('session', () => {
  it('logs in once and reuses the session across polls and a restart', async () => {
    server.posts.push(post(alice, '3m7tqyk2xls2a', iso(10 * MIN), 'Acme is down again'))
    const first = await poll()
    const second = await poll(first.cursor, { now: NOW + 2 * MIN })
    // A restart: a new connector, the same credential store.
    const third = await createConnectors(() => brand).bluesky!.poll(
      source(),
      second.cursor,
      context(NOW + 4 * MIN),
    )
    expect(ids(first)).toEqual([idOf(server.posts[0]!)])
    expect(third.mentions).toEqual([])
    expect(server.createSessionCalls).toBe(1)
    const stored = secrets.get()!
    expect(stored).toMatchObject({ appPassword: APP_PASSWORD, did: BRAND_DID, pds: server.origin })
    expect(stored['accessJwt']).toMatch(/^eyJ/)
    // Tokens and the password stay in the credential store, never in the cursor.
    const cursors = JSON.stringify([first.cursor, second.cursor, third.cursor])
    expect(cursors).not.toMatch(/eyJ|abcd-efgh|refresh|access/)
    const login = calls('com.atproto.server.createSession')[0]!
    expect(login.authorization).toBeNull()
  })

  it('refreshes an expired access token without logging in again', async () => {
    const first = await poll()
    server.expireAccess()
    server.posts.push(post(alice, '3m7tqyk2xls2b', iso(MIN), 'Acme Cloud broke my build'))
    const second = await poll(first.cursor, { now: NOW + 2 * MIN })
    expect(ids(second)).toHaveLength(1)
    expect(server.refreshCalls).toBe(1)
    expect(server.createSessionCalls).toBe(1)
    expect(secrets.get()?.['accessJwt']).toContain('access-2')
    const refresh = calls('com.atproto.server.refreshSession')[0]!
    expect(refresh.authorization).toMatch(/^Bearer .*refresh-1/)
  })

  it('logs in again, once, when the refresh token has expired too', async () => {
    await poll()
    server.expireAccess()
    server.expireRefresh()
    await poll(undefined, { now: NOW + 2 * MIN })
    expect(server.refreshCalls).toBe(1)
    expect(server.createSessionCalls).toBe(2)
  })

  it('shares one refresh between a poll and a thread that both find the token expired', async () => {
    const root = post(alice, '3m7tqyk2xls2a', iso(10 * MIN), 'Acme?')
    server.posts.push(root)
    const first = await poll()
    server.expireAccess()
    const connector = createBlueskyConnector(() => brand)
    const target = postToMention(toPost(root), 'bsky-1', NOW)
    const [again, thread] = await Promise.all([
      connector.poll(source(), first.cursor, context(NOW + MIN)),
      connector.thread!(source(), target, context(NOW + MIN)),
    ])
    expect(again.mentions).toEqual([])
    expect(ids(thread)).toEqual([idOf(root)])
    // A refresh token is good for one use: a second refresh would have failed into a new login.
    expect(server.refreshCalls).toBe(1)
    expect(server.createSessionCalls).toBe(1)
  })

  it('says in words that the password was refused, and does not retry', async () => {
    secrets = memorySecrets({ appPassword: 'wrong-pass-word-here' })
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toBe(
      'Bluesky did not accept the app password for acme.bsky.social: check the full handle (e.g. acme.bsky.social) and the app password',
    )
    expect(error.message).not.toContain('wrong-pass')
    expect(server.createSessionCalls).toBe(1)
    expect(server.requests).toHaveLength(1)
  })

  it('asks for the app password when none is stored', async () => {
    secrets = memorySecrets(null)
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/could not be read on this computer/)
    expect(server.requests).toHaveLength(0)
  })

  it('logs in afresh when the source now names another account', async () => {
    await poll()
    await secrets.update({ sessionFor: 'https://bsky.social|someone.else.example' })
    await poll()
    expect(server.createSessionCalls).toBe(2)
  })
})

describe('poll', () => {
  it('normalises a search hit into a mention with links, thread refs and counts', async () => {
    const root = post(
      alice,
      '3m7tqyk2xls2a',
      iso(30 * MIN),
      'Anyone else having trouble with Acme Cloud today?',
      { likes: 2, replies: 1 },
    )
    const reply = post(
      bob,
      '3m7tr2abcde2x',
      iso(20 * MIN),
      '@acme.com same here, dashboard is down',
      { reply: root },
    )
    server.posts.push(root, reply)
    const result = await poll()
    expect(result.mentions).toEqual([
      {
        id: idOf(root),
        sourceId: 'bsky-1',
        platform: 'bluesky',
        url: 'https://bsky.app/profile/alice.bsky.social/post/3m7tqyk2xls2a',
        author: {
          id: `bluesky:${alice.did}`,
          name: 'Alice',
          handle: '@alice.bsky.social',
          url: 'https://bsky.app/profile/alice.bsky.social',
        },
        text: 'Anyone else having trouble with Acme Cloud today?',
        createdAt: NOW - 30 * MIN,
        fetchedAt: NOW,
        threadId: idOf(root),
        platformRef: { uri: root.uri, cid: root.cid, rootUri: root.uri, rootCid: root.cid },
        stats: { replies: 1, likes: 2, reposts: 0 },
      },
      expect.objectContaining({
        id: idOf(reply),
        replyTo: idOf(root),
        threadId: idOf(root),
        platformRef: { uri: reply.uri, cid: reply.cid, rootUri: root.uri, rootCid: root.cid },
      }),
    ])
    for (const mention of result.mentions) expect(valid(mention).success).toBe(true)
  })

  it('searches the profile names since the mark, and reads addressed notifications', async () => {
    await poll()
    const searches = calls('app.bsky.feed.searchPosts').map((r) => Object.fromEntries(r.params))
    expect(searches).toEqual([
      { q: 'Acme', sort: 'latest', since: iso(24 * 3600_000), limit: '100' },
      { q: '"Road Runner"', sort: 'latest', since: iso(24 * 3600_000), limit: '100' },
    ])
    const notes = calls('app.bsky.notification.listNotifications')[0]!
    expect(notes.params.getAll('reasons')).toEqual(['mention', 'reply', 'quote'])
    expect(blueskyQueries(brand, ' "acme cloud" lang:en ')).toEqual(['"acme cloud" lang:en'])
  })

  it('merges search and notifications, once each, addressed when notified', async () => {
    const both = post(
      alice,
      '3m7taaaaaaaa2',
      iso(10 * MIN),
      'Hey @acme.bsky.social, Acme billing is broken',
    )
    const onlyNotified = post(bob, '3m7tbbbbbbbb2', iso(9 * MIN), 'thanks for nothing')
    const quoted = post(carol, '3m7tcccccccc2', iso(8 * MIN), 'look at this')
    const liked = post(carol, '3m7tdddddddd2', iso(7 * MIN), 'a like is not a mention')
    const searchedOnly = post(carol, '3m7teeeeeeee2', iso(6 * MIN), 'I like Acme')
    server.posts.push(both, onlyNotified, quoted, liked, searchedOnly)
    server.notifications.push(
      notification(both, 'mention'),
      notification(onlyNotified, 'reply'),
      notification(quoted, 'quote'),
      notification(liked, 'like'),
    )
    // A server that ignores `reasons` must not turn likes into mentions either.
    server.override = (nsid) =>
      nsid === 'app.bsky.notification.listNotifications'
        ? { body: JSON.stringify({ notifications: server.notifications }) }
        : undefined
    const result = await poll()
    expect(ids(result)).toEqual([both, onlyNotified, quoted, searchedOnly].map(idOf))
    const addressed = result.mentions.map((m) => m.addressed ?? false)
    expect(addressed).toEqual([true, true, true, false])
    // The search copy's counts survive the merge.
    expect(result.mentions[0]?.stats).toEqual({ replies: 0, likes: 0, reposts: 0 })
  })

  it('drops what the brand profile excludes', async () => {
    server.posts.push(
      post(alice, '3m7taaaaaaaa2', iso(5 * MIN), 'Acme anvils fall on coyotes'),
      post(bob, '3m7tbbbbbbbb2', iso(4 * MIN), 'Acme support was great'),
    )
    const result = await poll()
    expect(result.mentions.map((m) => m.text)).toEqual(['Acme support was great'])
  })

  it('caps the pages of one search per poll', async () => {
    for (let i = 0; i < 400; i++) {
      server.posts.push(
        post(alice, `3m7t${String(i).padStart(9, '2')}`, iso(60 * MIN - i * 5000), `Acme ${i}`),
      )
    }
    const result = await poll(undefined, { profile: null, config: { query: 'Acme' } })
    expect(calls('app.bsky.feed.searchPosts').map((r) => r.params.get('cursor'))).toEqual([
      null,
      '100',
      '200',
    ])
    expect(MAX_PAGES).toBe(3)
    expect(result.mentions).toHaveLength(300)
  })

  it('asks again from the mark minus an overlap, hears late-indexed posts, repeats nothing', async () => {
    const early = post(alice, '3m7taaaaaaaa2', iso(10 * MIN), 'Acme one')
    server.posts.push(early)
    const first = await poll()
    // Created before the mark but indexed after the first poll.
    const late = post(bob, '3m7tbbbbbbbb2', iso(11 * MIN), 'Acme two', {
      indexedAt: iso(9.5 * MIN),
    })
    server.posts.push(late)
    const second = await poll(first.cursor, { now: NOW + 2 * MIN })
    const since = calls('app.bsky.feed.searchPosts').at(-2)?.params.get('since')
    expect(since).toBe(new Date(Date.parse(early.indexedAt) - OVERLAP_MS).toISOString())
    expect(ids(second)).toEqual([idOf(late)])
    const third = await poll(second.cursor, { now: NOW + 4 * MIN })
    expect(third.mentions).toEqual([])
  })

  it('delivers a post heard through search again once it is addressed to the brand', async () => {
    const hit = post(alice, '3m7taaaaaaaa2', iso(10 * MIN), 'Acme, @acme.bsky.social help')
    server.posts.push(hit)
    const first = await poll()
    expect(first.mentions[0]?.addressed).toBeUndefined()
    server.notifications.push(notification(hit, 'mention'))
    const second = await poll(first.cursor, { now: NOW + MIN })
    expect(second.mentions).toEqual([expect.objectContaining({ id: idOf(hit), addressed: true })])
  })

  it('clamps a creation time from the future to the fetch time', async () => {
    server.posts.push(
      post(alice, '3m7taaaaaaaa2', '2031-01-01T00:00:00Z', 'Acme from the future', {
        indexedAt: iso(MIN),
      }),
    )
    const result = await poll()
    expect(result.mentions[0]?.createdAt).toBe(NOW)
  })

  it('keeps a post with an unreadable index time without moving the mark', async () => {
    server.posts.push(
      post(alice, '3m7taaaaaaaa2', iso(5 * MIN), 'Acme one', { indexedAt: iso(5 * MIN) }),
      post(bob, '3m7tbbbbbbbb2', iso(4 * MIN), 'Acme two', { indexedAt: 'soon' }),
    )
    // The fixture cannot compare 'soon'; answer the list as the AppView would, unfiltered.
    server.override = (nsid) =>
      nsid === 'app.bsky.feed.searchPosts'
        ? { body: JSON.stringify({ posts: server.posts }) }
        : undefined
    const result = await poll(undefined, { profile: null, config: { query: 'Acme' } })
    expect(result.mentions.map((m) => m.text)).toEqual(['Acme one', 'Acme two'])
    expect(result.cursor).toMatchObject({ searchMarks: { Acme: NOW - 5 * MIN } })
  })

  it('reads notifications alone when there is nothing to search for', async () => {
    const hit = post(bob, '3m7tbbbbbbbb2', iso(MIN), 'hello @acme.bsky.social')
    server.notifications.push(notification(hit, 'mention'))
    const result = await poll(undefined, { profile: null })
    expect(calls('app.bsky.feed.searchPosts')).toHaveLength(0)
    expect(ids(result)).toEqual([idOf(hit)])
  })
})

describe('errors', () => {
  it('explains the HTML 403 the public AppView gives search', async () => {
    server.htmlSearch403 = true
    const error = await failure(poll())
    expect(error.kind).toBe('http')
    expect(error.message).toBe(SEARCH_NEEDS_LOGIN)
    expect(error.message).toMatch(
      /^Bluesky search needs a login: add the brand account's app password/,
    )
  })

  it('honours a 429 with RateLimit-Reset', async () => {
    await poll()
    server.rateLimited = 1
    const error = await failure(poll())
    expect(error.kind).toBe('rate-limited')
    expect(error.details.retryAfterMs).toBeGreaterThan(60_000)
    expect(error.details.retryAfterMs).toBeLessThanOrEqual(90_000)
  })

  it('stops asking when the budget is spent, and says how long to wait', async () => {
    server.remaining = 0
    const result = await poll()
    expect(calls('app.bsky.feed.searchPosts')).toHaveLength(1)
    expect(result.minDelayMs).toBeGreaterThan(0)
  })

  it('turns an XRPC error body into words', async () => {
    server.override = (nsid) =>
      nsid === 'app.bsky.feed.searchPosts'
        ? { status: 400, body: '{"error":"BadQueryString","message":"unbalanced quotes"}' }
        : undefined
    const error = await failure(poll())
    expect(error.kind).toBe('config')
    expect(error.message).toBe(
      `Bluesky at ${new URL(server.origin).host} could not read the search text: unbalanced quotes`,
    )
  })

  it('reports malformed JSON as a parse error', async () => {
    server.override = (nsid) =>
      nsid === 'app.bsky.feed.searchPosts' ? { body: '{"posts":[{"uri":' } : undefined
    const error = await failure(poll())
    expect(error.kind).toBe('parse')
    expect(error.message).toBe('Bluesky search sent a broken answer (not complete JSON)')
  })

  it('sends Authorization to the configured service only', async () => {
    const seen: (string | null)[] = []
    const elsewhere = createServer((req, res) => {
      seen.push(req.headers.authorization ?? null)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"posts":[]}')
    })
    const other = await listenOnLoopback(elsewhere)
    try {
      // A DID document naming a plain-http host elsewhere is not trusted with the token.
      server.pdsEndpoint = other.origin
      server.override = (nsid) =>
        nsid === 'app.bsky.feed.searchPosts'
          ? {
              status: 302,
              headers: { location: `${other.origin}/xrpc/app.bsky.feed.searchPosts` },
              body: '',
            }
          : undefined
      await poll()
      const target = post(alice, '3m7taaaaaaaa2', iso(MIN), 'Acme?')
      server.posts.push(target)
      await createBlueskyConnector(() => brand).reply!(
        source(),
        { target: postToMention(toPost(target), 'bsky-1', NOW), text: 'Hi!', idempotencyKey: 'k1' },
        context(),
      )
      expect(seen.length).toBeGreaterThan(0)
      expect(seen.every((header) => header === null)).toBe(true)
      expect(server.records).toHaveLength(1)
      expect(secrets.get()?.['pds']).toBe(server.origin)
    } finally {
      await other.close()
    }
  })
})

/** A fixture PostView as the parser reads it. */
function toPost(view: PostViewJson) {
  return parseSearchPage(JSON.stringify({ posts: [view] }), 'test').posts[0]!
}

describe('thread', () => {
  it('flattens the conversation oldest first, without deleted or blocked posts', async () => {
    const root = post(alice, '3m7ta0000000a', iso(60 * MIN), 'Acme is down?')
    const answer = post(bob, '3m7ta0000000b', iso(50 * MIN), 'yes, since noon', { reply: root })
    const target = post(carol, '3m7ta0000000c', iso(40 * MIN), 'still down', { reply: answer })
    const later = post(alice, '3m7ta0000000d', iso(30 * MIN), 'back now', { reply: target })
    const gone = post(bob, '3m7ta0000000e', iso(35 * MIN), 'deleted', { reply: target })
    const hidden = post(bob, '3m7ta0000000f', iso(33 * MIN), 'blocked', { reply: answer })
    const sibling = post(carol, '3m7ta0000000g', iso(45 * MIN), 'sibling', { reply: root })
    server.posts.push(later, gone, hidden, sibling, target, answer, root)
    server.deleted.add(gone.uri)
    server.blocked.add(hidden.uri)
    const connector = createBlueskyConnector(() => brand)
    const thread = await connector.thread!(
      source(),
      postToMention(toPost(target), 'bsky-1', NOW),
      context(),
    )
    expect(ids(thread)).toEqual([root, answer, target, later].map(idOf))
    const request = calls('app.bsky.feed.getPostThread')[0]!
    expect(Object.fromEntries(request.params)).toEqual({
      uri: target.uri,
      depth: '10',
      parentHeight: '40',
    })
    expect(thread.every((m) => valid(m).success)).toBe(true)
  })

  it('says so when the post is gone', async () => {
    const ghost = post(alice, '3m7ta0000000z', iso(MIN), 'never stored')
    const connector = createBlueskyConnector(() => brand)
    const error = await failure(
      connector.thread!(source(), postToMention(toPost(ghost), 'bsky-1', NOW), context()),
    )
    expect(error.message).toMatch(/no longer has this post/)
  })
})

describe('reply', () => {
  const connector = () => createBlueskyConnector(() => brand)

  it('posts with root and parent refs exactly once for one idempotency key', async () => {
    const root = post(alice, '3m7tqyk2xls2a', iso(30 * MIN), 'Acme Cloud down?')
    const reply = post(bob, '3m7tr2abcde2x', iso(20 * MIN), 'same here', { reply: root })
    server.posts.push(root, reply)
    const target = postToMention(toPost(reply), 'bsky-1', NOW)
    const request = {
      target,
      text: 'Sorry! Status at https://status.acme.example/incidents/42 — we are on it.',
      idempotencyKey: 'intent-7f3a',
    }
    const first = await connector().reply!(source(), request, context())
    const again = await connector().reply!(source(), request, context(NOW + MIN))
    expect(server.records).toHaveLength(1)
    expect(again).toEqual(first)
    const stored = server.records[0]!
    expect(first).toEqual({
      remoteId: stored.uri,
      url: `https://bsky.app/profile/${BRAND_DID}/post/${stored.rkey}`,
    })
    expect(stored.rkey).toBe(replyRkey('intent-7f3a', reply.uri, target.createdAt))
    expect(stored.rkey).toMatch(/^[234567abcdefghij][234567a-z]{12}$/)
    expect(stored.record).toMatchObject({
      $type: 'app.bsky.feed.post',
      text: request.text,
      createdAt: new Date(NOW).toISOString(),
      reply: {
        root: { uri: root.uri, cid: root.cid },
        parent: { uri: reply.uri, cid: reply.cid },
      },
    })
    const link = 'https://status.acme.example/incidents/42'
    const start = Buffer.byteLength(request.text.slice(0, request.text.indexOf(link)))
    expect(stored.record.facets).toEqual([
      {
        index: { byteStart: start, byteEnd: start + link.length },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: link }],
      },
    ])
    // A different intent is a different post.
    await connector().reply!(source(), { ...request, idempotencyKey: 'intent-8b1c' }, context())
    expect(server.records).toHaveLength(2)
  })

  it('uses the target as root when it starts the thread, and fetches refs it lacks', async () => {
    const root = post(alice, '3m7tqyk2xls2a', iso(30 * MIN), 'Acme?')
    server.posts.push(root)
    const bare = { ...postToMention(toPost(root), 'bsky-1', NOW), platformRef: undefined }
    await connector().reply!(
      source(),
      { target: bare, text: 'Hello', idempotencyKey: 'a' },
      context(),
    )
    expect(server.records[0]?.record.reply).toEqual({
      root: { uri: root.uri, cid: root.cid },
      parent: { uri: root.uri, cid: root.cid },
    })
  })

  it('refuses a reply longer than Bluesky allows, before sending', async () => {
    const root = post(alice, '3m7tqyk2xls2a', iso(30 * MIN), 'Acme?')
    const error = await failure(
      connector().reply!(
        source(),
        {
          target: postToMention(toPost(root), 'bsky-1', NOW),
          text: 'é'.repeat(301),
          idempotencyKey: 'a',
        },
        context(),
      ),
    )
    expect(error.kind).toBe('config')
    expect(error.message).toBe('A Bluesky post holds at most 300 characters; this reply has 301')
    expect(server.requests).toHaveLength(0)
  })

  it('passes a failure on when nothing was posted under the key', async () => {
    const root = post(alice, '3m7tqyk2xls2a', iso(30 * MIN), 'Acme?')
    server.override = (nsid) =>
      nsid === 'com.atproto.repo.createRecord'
        ? {
            status: 400,
            body: '{"error":"InvalidRequest","message":"Invalid app.bsky.feed.post record"}',
          }
        : undefined
    const error = await failure(
      connector().reply!(
        source(),
        { target: postToMention(toPost(root), 'bsky-1', NOW), text: 'Hi', idempotencyKey: 'a' },
        context(),
      ),
    )
    expect(error.kind).toBe('http')
    expect(error.message).toMatch(
      /answered 400: Invalid app.bsky.feed.post record \(InvalidRequest\)/,
    )
  })
})

describe('linkFacets', () => {
  it('gives byte ranges for links, leaving closing punctuation out', () => {
    expect(linkFacets('Über: https://a.example/x.')).toEqual([
      {
        index: { byteStart: 7, byteEnd: 26 },
        features: [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://a.example/x' }],
      },
    ])
  })
})

describe('malformed answers', () => {
  const root = post(alice, '3m7tqyk2xls2a', iso(30 * MIN), 'Acme?')
  const page = { posts: [root], cursor: '25' }
  const broken = (change: Record<string, unknown>) =>
    JSON.stringify({ posts: [{ ...root, ...change }] })
  const cases: [string, string, RegExp][] = [
    ['an HTML page with 200', '<!doctype html><p>Oops</p>', /web page/],
    ['truncated JSON', JSON.stringify(page).slice(0, 90), /not complete JSON/],
    ['an empty body', '', /empty/],
    ['JSON null', 'null', /list of posts/],
    ['posts not a list', '{"posts":"none"}', /posts/],
    ['a post without a uri', broken({ uri: undefined }), /post 1, uri/],
    ['a uri that is not at://', broken({ uri: 'https://evil.example/x' }), /post 1, uri/],
    [
      'a record without text',
      broken({ record: { createdAt: root.record.createdAt } }),
      /record\.text/,
    ],
    [
      'an author DID that is not a DID',
      broken({ author: { did: 'x', handle: 'a' } }),
      /author\.did/,
    ],
  ]

  it.each(cases)('refuses %s with a parse error in plain words', async (_, body, words) => {
    server.override = (nsid) => (nsid === 'app.bsky.feed.searchPosts' ? { body } : undefined)
    const error = await failure(poll())
    expect(error.kind).toBe('parse')
    expect(error.message).toMatch(words)
  })

  it('keeps a post whose reply reference is damaged, without the thread link', () => {
    const damaged = { ...root, record: { ...root.record, reply: { root: 'x' } } }
    const [heard] = parseSearchPage(JSON.stringify({ posts: [damaged] }), 'test').posts
    expect(postToMention(heard!, 's', NOW).replyTo).toBeUndefined()
  })

  it('reads unknown counts, empty names and odd handles safely', () => {
    const odd = {
      ...root,
      author: { did: alice.did, handle: 'handle.invalid', displayName: '  ' },
      likeCount: -3,
      replyCount: 1.5,
      repostCount: '2',
    }
    const [heard] = parseSearchPage(JSON.stringify({ posts: [odd] }), 'test').posts
    const mention = postToMention(heard!, 's', NOW)
    expect(mention.author.name).toBe('handle.invalid')
    expect(mention.url).toBe(`https://bsky.app/profile/${alice.did}/post/3m7tqyk2xls2a`)
    expect(mention.stats).toBeUndefined()
    expect(valid(mention).success).toBe(true)
  })
})

describe('fuzzing', () => {
  const root = post(alice, '3m7tqyk2xls2a', iso(30 * MIN), 'Acme Cloud 😀 down?', { likes: 3 })
  const reply = post(bob, '3m7tr2abcde2x', iso(20 * MIN), 'same', { reply: root })
  const search = JSON.stringify({ posts: [root, reply], cursor: '25', hitsTotal: 2 })
  const notes = JSON.stringify({
    notifications: [notification(reply, 'reply'), notification(root, 'mention')],
  })
  const thread = JSON.stringify({
    thread: {
      $type: 'app.bsky.feed.defs#threadViewPost',
      post: reply,
      parent: { $type: 'app.bsky.feed.defs#threadViewPost', post: root },
      replies: [{ uri: 'at://x', notFound: true }],
    },
  })
  const values: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(30_000), [], {}, true, '\uD800']

  function mutateValue(body: string, random: () => number): string {
    const json = JSON.parse(body) as Record<string, unknown>
    // Walk down a random path and damage what is there.
    let node: unknown = json
    for (let depth = 0; depth < 4; depth++) {
      if (typeof node !== 'object' || node === null) break
      const keys = Object.keys(node)
      const key = keys[Math.floor(random() * keys.length)]
      if (key === undefined) break
      const child = (node as Record<string, unknown>)[key]
      if (depth === 3 || typeof child !== 'object' || child === null || random() < 0.3) {
        const value = values[Math.floor(random() * values.length)]
        if (random() < 0.2) delete (node as Record<string, unknown>)[key]
        else (node as Record<string, unknown>)[key] = value
        break
      }
      node = child
    }
    return JSON.stringify(json)
  }

  it('mutated answers give schema-valid mentions or a parse error, 600 times', () => {
    const random = seeded(20261001)
    let parsed = 0
    const bodies = [search, notes, thread]
    for (let round = 0; round < 600; round++) {
      const kind = round % 3
      const body = bodies[kind]!
      const text = round % 2 === 0 ? mutateText(body, random) : mutateValue(body, random)
      try {
        const posts =
          kind === 0
            ? parseSearchPage(text, 'test').posts
            : kind === 1
              ? parseNotificationPage(text, 'test').posts
              : parseThread(text, 'test')
        for (const heard of posts) {
          const mention = postToMention(heard, 'bsky-1', NOW, kind === 1)
          expect(valid(mention).success, `round ${round}`).toBe(true)
        }
        parsed++
      } catch (cause) {
        expect(cause, `round ${round}`).toBeInstanceOf(SourceError)
        expect((cause as SourceError).kind).toBe('parse')
      }
    }
    expect(parsed).toBeGreaterThan(60)
    expect(parsed).toBeLessThan(600)
  })

  it('a deeply nested thread is read within bounds', () => {
    const depth = 3000
    const link = `{"post":${JSON.stringify(reply)},"parent":`
    const body = `{"thread":${link.repeat(depth)}{"post":${JSON.stringify(root)}}${'}'.repeat(depth)}}`
    const posts = parseThread(body, 'test')
    expect(posts.map((p) => p.uri)).toEqual([reply.uri])
  })
})
