import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import pkg from '../../../../package.json'
import type { BrandProfile, HeardMention, SourceConfig } from '../../../../src/shared/domain'
import { mentionSchema, sourceConfigSchema } from '../../../../src/shared/domain'
import type { PollResult, SecretAccess, SourceCursor } from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import {
  INBOX_REFUSED_NOTE,
  MAX_PAGES,
  createRedditConnector,
  readRedditCursor,
  redditQuery,
  redditUserAgent,
  subredditBatches,
} from '../../../../src/main/sources/reddit'
import { parseListing, thingToMention } from '../../../../src/main/sources/reddit-parse'
import type {
  RedditCommentJson,
  RedditPostJson,
  RedditServer,
} from '../../../fixtures/reddit-server'
import { comment, post, startRedditServer } from '../../../fixtures/reddit-server'
import { mutateText, seeded } from '../../../fixtures/seeded'
import { failure } from '../../../fixtures/source-failure'

type RedditConfig = Extract<SourceConfig, { kind: 'reddit' }>

const heardSchema = mentionSchema.omit({ triage: true })
const NOW_SEC = 1_790_769_665
const NOW = NOW_SEC * 1000
const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 })

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'reddit', handle: 'acme' }],
  products: ['Acme Cloud', 'Road Runner'],
  competitors: ['Globex'],
  excluded: ['acme anvils'],
}

let server: RedditServer
let secrets: SecretAccess
beforeEach(async () => {
  server = await startRedditServer()
  server.nowSec = NOW_SEC
  secrets = memorySecrets({
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    password: server.password,
  })
})
afterEach(async () => {
  await server.close()
})

const source = (extra: Partial<RedditConfig> = {}): RedditConfig =>
  sourceConfigSchema.parse({
    id: 'reddit-1',
    kind: 'reddit',
    name: 'Reddit',
    apiBase: server.origin,
    authBase: server.origin,
    username: 'acme',
    subreddits: ['sysadmin', 'devops'],
    paused: false,
    createdAt: 0,
    ...extra,
  }) as RedditConfig

type PollOptions = { now?: number; brand?: BrandProfile | null; config?: Partial<RedditConfig> }

const ctx = (now = NOW) => ({ http, now: () => now, secrets })

function poll(cursor?: SourceCursor, opts: PollOptions = {}): Promise<PollResult> {
  const connector = createRedditConnector(() => (opts.brand === undefined ? profile : opts.brand))
  return connector.poll(source(opts.config), cursor, ctx(opts.now))
}

const ids = (result: { mentions: HeardMention[] } | HeardMention[]) =>
  (Array.isArray(result) ? result : result.mentions).map((m) => m.id)
const requestsTo = (path: string) => server.requests.filter((r) => r.path === path)
const apiRequests = () => server.requests.filter((r) => r.path !== '/api/v1/access_token')

describe('signing in', () => {
  it('signs in once with the password grant and reuses the token, kept with the secrets only', async () => {
    server.posts.push(post('1fsxa01', NOW_SEC - 60, { title: 'Acme down?' }))
    const first = await poll()
    const second = await poll(first.cursor, { now: NOW + 120_000 })
    expect(server.tokenRequests).toBe(1)
    const [grant] = requestsTo('/api/v1/access_token')
    expect(grant?.method).toBe('POST')
    expect(Object.fromEntries(new URLSearchParams(grant?.body))).toEqual({
      grant_type: 'password',
      username: 'acme',
      password: server.password,
    })
    const basic = Buffer.from(`${server.clientId}:${server.clientSecret}`).toString('base64')
    expect(grant?.authorization).toBe(`Basic ${basic}`)
    expect(new Set(apiRequests().map((r) => r.authorization))).toEqual(new Set(['bearer tok-1']))
    expect(secrets.get()?.['accessToken']).toBe('tok-1')
    // The token and the password never travel in a cursor.
    for (const cursor of [first.cursor, second.cursor]) {
      expect(JSON.stringify(cursor)).not.toMatch(/tok-1|correct horse|gko_/)
    }
  })

  it('signs in again shortly before the token expires', async () => {
    server.tokenLifetimeSec = 3600
    const first = await poll()
    await poll(first.cursor, { now: NOW + 30 * 60_000 })
    expect(server.tokenRequests).toBe(1)
    await poll(first.cursor, { now: NOW + 58 * 60_000 })
    expect(server.tokenRequests).toBe(2)
    expect(apiRequests().at(-1)?.authorization).toBe('bearer tok-2')
  })

  it('replaces a token Reddit refuses once, then carries on', async () => {
    server.posts.push(post('1fsxa01', NOW_SEC - 60, { title: 'Acme down?' }))
    const first = await poll()
    server.revokeTokens()
    server.posts.push(post('1fsxa02', NOW_SEC + 30, { title: 'Acme up again' }))
    const second = await poll(first.cursor, { now: NOW + 60_000 })
    expect(ids(second)).toEqual(['reddit:t3_1fsxa02'])
    expect(server.tokenRequests).toBe(2)
  })

  it('gives up with an auth error when a fresh token is refused too, without a loop', async () => {
    server.override = (request) =>
      request.path === '/search'
        ? { status: 401, body: JSON.stringify({ message: 'Unauthorized', error: 401 }) }
        : undefined
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/Reddit search refused Earshot's sign-in even with a new token/)
    expect(server.tokenRequests).toBe(2)
    expect(requestsTo('/search')).toHaveLength(2)
    expect(secrets.get()?.['accessToken']).toBeUndefined()
  })

  it('explains invalid_grant and asks once per poll, never in a loop', async () => {
    server.invalidGrant = true
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/Reddit refused the password of u\/acme \(invalid_grant\)/)
    expect(server.tokenRequests).toBe(1)
    expect(apiRequests()).toHaveLength(0)
  })

  it('says which credential is wrong when the app secret is refused', async () => {
    secrets = memorySecrets({
      clientId: server.clientId,
      clientSecret: 'wrong',
      password: server.password,
    })
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/client id or secret/)
  })

  it('asks for the credentials before sending anything when none are stored', async () => {
    secrets = memorySecrets(null)
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/client id and secret and the password of u\/acme/)
    expect(server.requests).toHaveLength(0)
  })

  it('does not reuse a token obtained for another app', async () => {
    await secrets.update({
      accessToken: 'tok-other',
      accessTokenExpiresAt: String(NOW + 86_400_000),
      accessTokenFor: 'someone-else',
    })
    await poll()
    expect(server.tokenRequests).toBe(1)
    expect(apiRequests()[0]?.authorization).toBe('bearer tok-1')
  })
})

describe('User-Agent', () => {
  it("sends Reddit's required format on every request, sign-in included", async () => {
    await poll()
    const expected = `desktop:earshot:${pkg.version} (by /u/acme)`
    expect(redditUserAgent('acme')).toBe(expected)
    expect(expected).toMatch(/^desktop:earshot:\d+\.\d+\.\d+\S* \(by \/u\/acme\)$/)
    expect(server.requests.length).toBeGreaterThan(2)
    expect(new Set(server.requests.map((r) => r.userAgent))).toEqual(new Set([expected]))
  })
})

describe('polling', () => {
  function world() {
    const outage = post('1fsxa01', NOW_SEC - 3600, {
      title: 'Acme Cloud outage?',
      selftext: 'Is Acme Cloud down for anyone else? Console returns 502 & "bad gateway".',
      num_comments: 4,
      score: 3,
    })
    const migrating = post('1fsx9k2', NOW_SEC - 7200, {
      subreddit: 'devops',
      title: 'Migrating off Acme Cloud - lessons learned',
      is_self: false,
      url: 'https://example.com/blog/leaving-acme',
      author: 'blogger42',
      num_comments: 7,
      score: -2,
    })
    const other = post('1fsx000', NOW_SEC - 9000, { title: 'Which cloud do you trust?' })
    const moved = comment('lq9x1a1', NOW_SEC - 600, 'We moved off Acme last year.', other)
    const quiet = comment('lq9x1a2', NOW_SEC - 500, 'Nothing to see here', other)
    const runner = comment('lq9x1a3', NOW_SEC - 400, 'Road Runner is great', migrating)
    const elsewherePost = post('1fsx111', NOW_SEC - 9000, {
      subreddit: 'webdev',
      title: 'Hosting?',
    })
    const notWatched = comment('lq9x1a4', NOW_SEC - 300, 'Acme is fine', elsewherePost)
    const addressed = comment(
      'lq9x1a5',
      NOW_SEC - 200,
      'u/acme can you look at this?',
      elsewherePost,
    )
    server.posts.push(outage, migrating, other, elsewherePost)
    server.comments.push(moved, quiet, runner, notWatched, addressed)
    // The inbox also lists a comment the subreddit stream finds: heard once, as addressed.
    server.mentions.push(addressed.name, moved.name)
    return { outage, migrating, other, moved, runner, addressed }
  }

  it('merges post search, subreddit comments and inbox mentions, matched, deduplicated, oldest first', async () => {
    const { other } = world()
    const result = await poll()
    expect(ids(result)).toEqual([
      'reddit:t3_1fsx9k2',
      'reddit:t3_1fsxa01',
      'reddit:t1_lq9x1a1',
      'reddit:t1_lq9x1a3',
      'reddit:t1_lq9x1a5',
    ])
    const [migrating, outage, moved, runner, addressed] = result.mentions
    expect(outage).toEqual({
      id: 'reddit:t3_1fsxa01',
      sourceId: 'reddit-1',
      platform: 'reddit',
      url: 'https://www.reddit.com/r/sysadmin/comments/1fsxa01/acme_cloud_outage/',
      author: {
        id: 'reddit:some_admin',
        name: 'some_admin',
        handle: 'u/some_admin',
        url: 'https://www.reddit.com/user/some_admin',
      },
      title: 'Acme Cloud outage?',
      text: 'Is Acme Cloud down for anyone else? Console returns 502 & "bad gateway".',
      createdAt: (NOW_SEC - 3600) * 1000,
      fetchedAt: NOW,
      threadId: 'reddit:t3_1fsxa01',
      platformRef: { fullname: 't3_1fsxa01', subreddit: 'sysadmin' },
      stats: { replies: 4, likes: 3 },
    })
    // A link post speaks through its title; a negative score is no like.
    expect(migrating).toMatchObject({
      text: 'Migrating off Acme Cloud - lessons learned',
      stats: { replies: 7, likes: 0 },
    })
    expect(moved).toEqual({
      id: 'reddit:t1_lq9x1a1',
      sourceId: 'reddit-1',
      platform: 'reddit',
      url: `https://www.reddit.com/r/sysadmin/comments/${other.id}/which_cloud_do_you_trust/lq9x1a1/`,
      author: {
        id: 'reddit:tcas',
        name: 'tcas',
        handle: 'u/tcas',
        url: 'https://www.reddit.com/user/tcas',
      },
      title: 'Which cloud do you trust?',
      text: 'We moved off Acme last year.',
      createdAt: (NOW_SEC - 600) * 1000,
      fetchedAt: NOW,
      addressed: true,
      replyTo: `reddit:${other.name}`,
      threadId: `reddit:${other.name}`,
      platformRef: { fullname: 't1_lq9x1a1', subreddit: 'sysadmin' },
      stats: { likes: 2 },
    })
    expect(runner?.addressed).toBeUndefined()
    // From the inbox: no permalink there, the context link gives the address and the thread.
    expect(addressed).toMatchObject({
      addressed: true,
      url: expect.stringMatching(
        /^https:\/\/www\.reddit\.com\/r\/webdev\/comments\/1fsx111\/hosting\/lq9x1a5\/$/,
      ) as unknown,
      threadId: 'reddit:t3_1fsx111',
      replyTo: 'reddit:t3_1fsx111',
    })
    for (const mention of result.mentions) expect(heardSchema.safeParse(mention).success).toBe(true)

    const search = Object.fromEntries(requestsTo('/search')[0]?.params ?? [])
    expect(search).toEqual({
      q: 'Acme OR "Road Runner"',
      sort: 'new',
      t: 'week',
      limit: '100',
      type: 'link',
      raw_json: '1',
    })
    const comments = requestsTo('/r/sysadmin+devops/comments')
    expect(comments).toHaveLength(1)
    expect(Object.fromEntries(comments[0]?.params ?? [])).toEqual({ limit: '100', raw_json: '1' })
    expect(requestsTo('/message/mentions')).toHaveLength(1)
  })

  it('skips the inbox quietly when Reddit refuses it, and asks again hours later', async () => {
    world()
    server.mentionsForbidden = true
    const first = await poll()
    expect(ids(first)).toContain('reddit:t3_1fsxa01')
    expect(ids(first)).not.toContain('reddit:t1_lq9x1a5')
    expect(readRedditCursor(first.cursor).mentionsOffUntil).toBeGreaterThan(NOW_SEC)
    // Not an error: the source is live, and its health says why mentions are missing.
    expect(first.note).toBe(
      'Reddit refused the inbox: the app needs the privatemessages scope; search still works',
    )
    const waiting = await poll(first.cursor, { now: NOW + 120_000 })
    expect(requestsTo('/message/mentions')).toHaveLength(1)
    expect(waiting.note).toBe(INBOX_REFUSED_NOTE)
    server.mentionsForbidden = false
    const later = await poll(first.cursor, { now: NOW + 7 * 3600_000 })
    expect(requestsTo('/message/mentions')).toHaveLength(2)
    expect(ids(later)).toContain('reddit:t1_lq9x1a5')
    expect(later.note).toBeNull()
  })

  it('leaves out what the profile excludes', async () => {
    const anvils = post('1fsxb01', NOW_SEC - 100, { title: 'Acme anvils on sale' })
    server.posts.push(anvils, post('1fsxb02', NOW_SEC - 90, { title: 'Acme support is slow' }))
    server.comments.push(comment('lq9xb03', NOW_SEC - 80, 'My ACME anvils broke', anvils))
    const result = await poll()
    expect(ids(result)).toEqual(['reddit:t3_1fsxb02'])
  })

  it('names deleted accounts without merging them, and skips removed comments', async () => {
    const gone = post('1fsxc01', NOW_SEC - 100, {
      title: 'Acme billing mess',
      author: '[deleted]',
      selftext: '[removed]',
    })
    delete gone.author_fullname
    server.posts.push(gone)
    server.comments.push(
      comment('lq9xc02', NOW_SEC - 90, '[removed]', gone, { author: '[deleted]' }),
      comment('lq9xc03', NOW_SEC - 80, 'Acme refunded me', gone, { author: '[deleted]' }),
    )
    const result = await poll()
    expect(ids(result)).toEqual(['reddit:t3_1fsxc01', 'reddit:t1_lq9xc03'])
    expect(result.mentions[0]).toMatchObject({
      author: { id: 'reddit:deleted:t3_1fsxc01', name: 'deleted account' },
      text: 'Acme billing mess',
    })
    expect(result.mentions[1]?.author.id).toBe('reddit:deleted:t1_lq9xc03')
  })

  it('keeps a watermark across polls: no duplicates, nothing skipped, pages followed while all new', async () => {
    const thread = post('1fsx000', NOW_SEC - 9000, { title: 'General chat' })
    for (let i = 0; i < 250; i++) {
      server.posts.push(
        post(`a${i.toString(36)}`, NOW_SEC - 5000 + i * 10, { title: `Acme news ${i}` }),
      )
    }
    const first = await poll()
    expect(first.mentions).toHaveLength(250)
    expect(requestsTo('/search')).toHaveLength(3)

    // New posts, one indexed late with an older time, and a burst of matching comments.
    server.posts.push(
      post('b1', NOW_SEC + 30, { title: 'Acme again' }),
      post('b2', NOW_SEC + 40, { title: 'Acme once more' }),
      post('b3', NOW_SEC - 200, { title: 'Acme, indexed late' }),
    )
    for (let i = 0; i < 150; i++) {
      server.comments.push(
        comment(`c${i.toString(36)}`, NOW_SEC + 1 + i * 0.25, `Acme ${i}`, thread),
      )
    }
    const second = await poll(first.cursor, { now: NOW + 120_000 })
    expect(second.mentions.filter((m) => m.id.startsWith('reddit:t3_')).map((m) => m.id)).toEqual([
      'reddit:t3_b3',
      'reddit:t3_b1',
      'reddit:t3_b2',
    ])
    expect(second.mentions.filter((m) => m.id.startsWith('reddit:t1_'))).toHaveLength(150)
    // The second search stopped at the first page, which reached what was already heard.
    expect(requestsTo('/search')).toHaveLength(4)
    const third = await poll(second.cursor, { now: NOW + 240_000 })
    expect(third.mentions).toEqual([])
  })

  it('caps the pages of one poll', async () => {
    for (let i = 0; i < 900; i++) {
      server.posts.push(post(`a${i.toString(36)}`, NOW_SEC - 9000 + i * 10, { title: `Acme ${i}` }))
    }
    const result = await poll()
    expect(requestsTo('/search')).toHaveLength(MAX_PAGES)
    expect(result.mentions).toHaveLength(MAX_PAGES * 100)
  })

  it('backfills one day on the first poll', async () => {
    server.posts.push(
      post('old1', NOW_SEC - 25 * 3600, { title: 'Acme old' }),
      post('new1', NOW_SEC - 23 * 3600, { title: 'Acme recent' }),
    )
    expect(ids(await poll())).toEqual(['reddit:t3_new1'])
  })

  it("searches its own query instead of the profile's and matches comments by its terms", async () => {
    const thread = post('1fsx000', NOW_SEC - 9000, { title: 'Tools' })
    server.posts.push(post('q1', NOW_SEC - 100, { title: 'Wile E. tips' }))
    server.comments.push(
      comment('qc1', NOW_SEC - 90, 'the wile coyote plan', thread),
      comment('qc2', NOW_SEC - 80, 'Acme is here but not asked for', thread),
    )
    const result = await poll(undefined, {
      brand: null,
      config: { query: 'Wile OR "Road Runner"' },
    })
    expect(requestsTo('/search')[0]?.params.get('q')).toBe('Wile OR "Road Runner"')
    expect(ids(result)).toEqual(['reddit:t3_q1', 'reddit:t1_qc1'])
  })

  it('needs a brand profile or its own query, and asks nothing without one', async () => {
    const error = await failure(poll(undefined, { brand: null }))
    expect(error.kind).toBe('config')
    expect(server.requests).toHaveLength(0)
  })
})

describe('errors and limits', () => {
  const blocked =
    '<!doctype html><html><head><title>Blocked</title></head><body>' +
    'whoa there, pardner! Your request has been blocked due to a network policy.</body></html>'
  const cases: [string, number, string, string, RegExp][] = [
    [
      'an error object inside a 200',
      200,
      '{"error": 403, "message": "Forbidden"}',
      'http',
      /403 Forbidden/,
    ],
    ['a listing without data', 200, '{"kind":"Listing"}', 'parse', /list of posts/],
    ['broken JSON', 200, '{"kind":"Listing","data":{"chil', 'parse', /not complete JSON/],
    ['an empty body', 200, '', 'parse', /empty/],
    ['an HTML block page', 403, blocked, 'http', /Reddit blocked the request \(403\)/],
    ['an HTML block page with 200', 200, blocked, 'http', /Reddit blocked the request/],
    ['a 500 with JSON', 500, '{"message": "Internal Server Error", "error": 500}', 'http', /500/],
    [
      'a RATELIMIT error inside a 200',
      200,
      '{"json":{"errors":[["RATELIMIT","you are doing that too much. try again in 5 minutes.","ratelimit"]]}}',
      'rate-limited',
      /you are doing that too much/,
    ],
  ]

  it.each(cases)('turns %s into words', async (_, status, body, kind, words) => {
    server.override = (request) => (request.path === '/search' ? { status, body } : undefined)
    const error = await failure(poll())
    expect(error.kind).toBe(kind)
    expect(error.message).toMatch(words)
    if (kind === 'rate-limited') expect(error.details.retryAfterMs).toBe(300_000)
  })

  it('honours a 429 with the reset header', async () => {
    server.override = (request) =>
      request.path === '/search'
        ? {
            status: 429,
            headers: { 'x-ratelimit-reset': '120', 'x-ratelimit-remaining': '0.0' },
            body: '{}',
          }
        : undefined
    const error = await failure(poll())
    expect(error.kind).toBe('rate-limited')
    expect(error.details.retryAfterMs).toBe(120_000)
  })

  it('slows down until the reset when few requests are left, and not before', async () => {
    const healthy = await poll()
    expect(healthy.minDelayMs).toBeUndefined()
    server.rateLimit = { used: 560, remaining: 40, reset: 240 }
    const low = await poll(healthy.cursor)
    expect(low.minDelayMs).toBe(240_000)
  })

  it('stops early when the budget is spent, keeping the other streams for the next poll', async () => {
    server.posts.push(post('x1', NOW_SEC - 100, { title: 'Acme' }))
    const first = await poll()
    const before = readRedditCursor(first.cursor)
    server.rateLimit = { used: 600, remaining: 0, reset: 200 }
    server.requests.length = 0
    const second = await poll(first.cursor, { now: NOW + 120_000 })
    expect(apiRequests().map((r) => r.path)).toEqual(['/search'])
    expect(second.minDelayMs).toBe(200_000)
    const after = readRedditCursor(second.cursor)
    expect(after.streams['comments:sysadmin+devops']).toEqual(
      before.streams['comments:sysadmin+devops'],
    )
    expect(after.streams['mentions']).toEqual(before.streams['mentions'])
  })
})

describe('thread', () => {
  function discussion() {
    const root = post('1fsxt00', NOW_SEC - 1000, { title: 'Acme Cloud outage?' })
    const a = comment('t0a', NOW_SEC - 900, 'Same here', root, { score: 10 })
    const b = comment('t0b', NOW_SEC - 800, 'Acme status page is green though', a)
    const c = comment('t0c', NOW_SEC - 700, 'It always is', b)
    const d = comment('t0d', NOW_SEC - 850, 'Works for me', root, { score: 1 })
    const e = comment('t0e', NOW_SEC - 600, '[deleted]', a, { author: '[deleted]' })
    server.posts.push(root)
    server.comments.push(a, b, c, d, e)
    return { root, a, b, c, d }
  }
  const asMention = (thing: RedditPostJson | RedditCommentJson) => {
    const kind = thing.name.startsWith('t3_') ? 't3' : 't1'
    return thingToMention({ ...thing, kind } as never, 'reddit-1', NOW)
  }

  it("gives a comment's ancestors, the comment and its replies, oldest first, without stubs", async () => {
    const { root, a, b, c } = discussion()
    const connector = createRedditConnector(() => profile)
    const thread = await connector.thread?.(source(), asMention(b), ctx())
    expect(ids(thread ?? [])).toEqual([root, a, b, c].map((thing) => `reddit:${thing.name}`))
    const params = Object.fromEntries(requestsTo(`/comments/${root.id}`)[0]?.params ?? [])
    expect(params).toMatchObject({ comment: 't0b', context: '8', raw_json: '1' })
  })

  it('gives a whole post flattened oldest first; a deleted comment says so', async () => {
    const { root, a, b, c, d } = discussion()
    const connector = createRedditConnector(() => profile)
    const thread = (await connector.thread?.(source(), asMention(root), ctx())) ?? []
    expect(ids(thread)).toEqual(
      [root, a, d, b, c].map((thing) => `reddit:${thing.name}`).concat('reddit:t1_t0e'),
    )
    expect(thread.at(-1)?.text).toBe('This comment was deleted on Reddit')
    for (const mention of thread) expect(heardSchema.safeParse(mention).success).toBe(true)
  })
})

describe('reply', () => {
  function target() {
    const root = post('1fsxr00', NOW_SEC - 1000, { title: 'Acme Cloud outage?' })
    const question = comment('r0a', NOW_SEC - 900, 'Is Acme down?', root)
    server.posts.push(root)
    server.comments.push(question)
    return { root, question: thingToMention({ ...question, kind: 't1' }, 'reddit-1', NOW) }
  }
  const reply = (mention: HeardMention, text: string, key = 'intent-1') => {
    const connector = createRedditConnector(() => profile)
    if (!connector.reply) throw new Error('the Reddit connector should post replies')
    return connector.reply(source(), { target: mention, text, idempotencyKey: key }, ctx())
  }

  it('posts once and answers with the new comment; the same reply again posts nothing', async () => {
    const { question } = target()
    const first = await reply(question, 'Sorry about that, we are on it: status.acme.example')
    expect(server.posted).toHaveLength(1)
    const [made] = server.posted
    expect(first).toEqual({
      remoteId: made?.name,
      url: `https://www.reddit.com${made?.permalink ?? ''}`,
    })
    const sent = requestsTo('/api/comment')
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body))).toEqual({
      thing_id: 't1_r0a',
      text: 'Sorry about that, we are on it: status.acme.example',
      api_type: 'json',
    })
    const again = await reply(question, 'Sorry about that, we are on it: status.acme.example')
    expect(again).toEqual(first)
    expect(server.posted).toHaveLength(1)
    expect(requestsTo('/api/comment')).toHaveLength(1)
  })

  it('finds its earlier reply to a comment deep in a thread', async () => {
    const root = post('1fsxd00', NOW_SEC - 1000, { title: 'Acme Cloud outage?' })
    const a = comment('d0a', NOW_SEC - 900, 'Anyone?', root)
    const b = comment('d0b', NOW_SEC - 800, 'Acme support, please look', a)
    server.posts.push(root)
    server.comments.push(a, b)
    const target = thingToMention({ ...b, kind: 't1' }, 'reddit-1', NOW)
    const first = await reply(target, 'Looking now.')
    const again = await reply(target, 'Looking now.')
    expect(again).toEqual(first)
    expect(server.posted).toHaveLength(1)
  })

  it('replies to a post as a top-level comment, and different words are a new reply', async () => {
    const { root } = target()
    const mention = thingToMention({ ...root, kind: 't3' }, 'reddit-1', NOW)
    await reply(mention, 'We are looking into it.')
    await reply(mention, 'Fixed now, thanks for your patience.')
    expect(server.posted.map((c) => [c.parent_id, c.body])).toEqual([
      ['t3_1fsxr00', 'We are looking into it.'],
      ['t3_1fsxr00', 'Fixed now, thanks for your patience.'],
    ])
  })

  it('turns errors inside a 200 into plain words, without a second attempt', async () => {
    const { question } = target()
    server.override = (request) =>
      request.path === '/api/comment'
        ? {
            body: JSON.stringify({
              json: {
                errors: [
                  [
                    'RATELIMIT',
                    'you are doing that too much. try again in 5 minutes.',
                    'ratelimit',
                  ],
                ],
              },
            }),
          }
        : undefined
    const error = await failure(reply(question, 'Hello'))
    expect(error.kind).toBe('rate-limited')
    expect(error.message).toBe(
      'Reddit asked Earshot to wait: you are doing that too much. try again in 5 minutes.',
    )
    expect(error.details.retryAfterMs).toBe(300_000)
    expect(requestsTo('/api/comment')).toHaveLength(1)
  })

  it('explains a locked thread', async () => {
    const root = post('1fsxl00', NOW_SEC - 1000, { title: 'Acme', locked: true })
    server.posts.push(root)
    const error = await failure(
      reply(thingToMention({ ...root, kind: 't3' }, 'reddit-1', NOW), 'Hi'),
    )
    expect(error.kind).toBe('http')
    expect(error.message).toBe('Reddit answered with an error: Comments are locked.')
    expect(server.posted).toHaveLength(0)
  })

  it('refuses a mention that is not from Reddit', async () => {
    const { question } = target()
    const error = await failure(
      reply({ ...question, platform: 'hn', id: 'hn:1', platformRef: {} }, 'Hi'),
    )
    expect(error.kind).toBe('config')
    expect(server.requests).toHaveLength(0)
  })
})

describe('listing parser', () => {
  const subject = 'Reddit search'
  const sample = () => {
    const root = post('1fsxa01', NOW_SEC - 3600, { title: 'Acme Cloud outage?', selftext: 'Down?' })
    return {
      kind: 'Listing',
      data: {
        after: 't3_1fsxa01',
        dist: 2,
        facets: {},
        modhash: '',
        geo_filter: '',
        children: [
          { kind: 't3', data: root },
          { kind: 't1', data: comment('lq9x1a1', NOW_SEC - 600, 'Acme &amp; co', root) },
        ],
        before: null,
      },
    }
  }
  const body = JSON.stringify(sample())
  const withChild = (data: Record<string, unknown>, kind = 't3') => {
    const json = sample()
    json.data.children = [{ kind, data } as never]
    return JSON.stringify(json)
  }
  const root = sample().data.children[0]?.data as unknown as Record<string, unknown>

  const corpus: [string, string, string, RegExp][] = [
    ['JSON null', 'null', 'parse', /list of posts/],
    ['an array', '[]', 'parse', /list of posts/],
    ['a BOM and whitespace only', '\uFEFF  \n', 'parse', /empty/],
    [
      'children of the wrong type',
      body.replace('"children":[', '"children":"x","y":['),
      'parse',
      /.*/,
    ],
    ['a child without data kind', withChild({}, 't9'), 'ok', /.*/],
    ['a post id without prefix', withChild({ ...root, name: '1fsxa01' }), 'parse', /item 1, name/],
    ['a created_utc string', withChild({ ...root, created_utc: 'now' }), 'parse', /created_utc/],
    ['a negative created_utc', withChild({ ...root, created_utc: -5 }), 'parse', /created_utc/],
    ['a post without title', withChild({ ...root, title: undefined }), 'parse', /title/],
    [
      'a numeric comment body',
      withChild({ ...root, name: 't1_x', body: 5 }, 't1'),
      'parse',
      /body/,
    ],
    [
      'a "more" stub',
      withChild({ count: 3, name: 't1__', id: '_', children: [] }, 'more'),
      'ok',
      /.*/,
    ],
    [
      'an error object',
      '{"message": "Not Found", "error": 404, "reason": "banned"}',
      'http',
      /404 Not Found: banned/,
    ],
    [
      'HTML',
      '<html><body>Our CDN was unable to reach our servers</body></html>',
      'http',
      /web page/,
    ],
    ['an unterminated string', body.slice(0, 120), 'parse', /not complete JSON/],
  ]

  it.each(corpus)('reads %s as items or a typed error', (_, text, kind, words) => {
    if (kind === 'ok') {
      expect(parseListing(text, subject).things).toEqual([])
      return
    }
    try {
      parseListing(text, subject)
    } catch (cause) {
      expect(cause).toBeInstanceOf(SourceError)
      expect((cause as SourceError).kind).toBe(kind)
      expect((cause as SourceError).message).toMatch(words)
      return
    }
    throw new Error('expected a typed error')
  })

  it('keeps raw_json text as Reddit sent it (no entity decoding twice)', () => {
    const [, second] = parseListing(body, subject).things
    expect(second?.kind === 't1' ? second.body : '').toBe('Acme &amp; co')
  })

  const values: unknown[] = [
    null,
    0,
    -1,
    1e308,
    1.5,
    '',
    'x'.repeat(30_000),
    [],
    {},
    true,
    '\uD800',
  ]
  function mutateValue(random: () => number): string {
    const json = sample() as unknown as { data: { children: { data: Record<string, unknown> }[] } }
    const child = json.data.children[Math.floor(random() * json.data.children.length)]
    const data = child?.data ?? {}
    const keys = Object.keys(data)
    const key = keys[Math.floor(random() * keys.length)] ?? 'name'
    if (random() < 0.2) delete data[key]
    else data[key] = values[Math.floor(random() * values.length)]
    return JSON.stringify(json)
  }

  it('mutated listings give schema-valid mentions or a typed error, 400 times', () => {
    const random = seeded(20261123)
    let parsed = 0
    for (let round = 0; round < 400; round++) {
      const text = round % 2 === 0 ? mutateText(body, random) : mutateValue(random)
      try {
        const listing = parseListing(text, subject)
        for (const thing of listing.things) {
          const mention = thingToMention(thing, 'reddit-1', NOW)
          expect(heardSchema.safeParse(mention).success, `round ${round}`).toBe(true)
        }
        parsed++
      } catch (cause) {
        expect(cause, `round ${round}`).toBeInstanceOf(SourceError)
        expect(['parse', 'http', 'rate-limited', 'auth']).toContain((cause as SourceError).kind)
      }
    }
    expect(parsed).toBeGreaterThan(40)
    expect(parsed).toBeLessThan(400)
  })
})

describe('redditQuery and batches', () => {
  it('ORs the brand and the products the brand search would miss, within 512 characters', () => {
    expect(redditQuery(profile)).toBe('Acme OR "Road Runner"')
    expect(redditQuery(profile, '  acme -jobs ')).toBe('acme -jobs')
    expect(redditQuery(null)).toBe('')
    const many: BrandProfile = {
      ...profile,
      products: Array.from({ length: 100 }, (_, i) => `Gadget Number ${i}`),
    }
    const query = redditQuery(many)
    expect(query.length).toBeLessThanOrEqual(512)
    expect(query.startsWith('Acme OR "Gadget Number 0"')).toBe(true)
    expect(query.endsWith('"')).toBe(true)
  })

  it('groups subreddits, once each whatever their case', () => {
    const names = Array.from({ length: 30 }, (_, i) => `sub${i}`)
    const batches = subredditBatches([...names, 'SUB0'])
    expect(batches.map((batch) => batch.length)).toEqual([25, 5])
  })
})
