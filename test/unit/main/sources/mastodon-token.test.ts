import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BrandProfile, HeardMention } from '../../../../src/shared/domain'
import { mentionSchema } from '../../../../src/shared/domain'
import type { PollContext, SourceCursor } from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import {
  authHeaders,
  createMastodonConnector,
  NO_FEEDS,
  statusToMention,
} from '../../../../src/main/sources/mastodon'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import { pollSourceOnce } from '../../../../src/main/sources/poll-once'
import type {
  MastodonConfig,
  MastodonServer,
  MastodonStatusJson,
} from '../../../fixtures/mastodon-server'
import {
  mastodonSource,
  account,
  BRAND_TOKEN,
  INSTANCE_HOST,
  mentionNotification,
  startMastodonServer,
  status,
} from '../../../fixtures/mastodon-server'
import { failure } from '../../../fixtures/source-failure'

const heardSchema = mentionSchema.omit({ triage: true })
const NOW = Date.parse('2026-10-01T12:00:00Z')
const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 })
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString()
const profile: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'mastodon', handle: '@acme@mastodon.example' }],
  products: ['Road Runner'],
  competitors: [],
  excluded: [],
}

let server: MastodonServer
beforeEach(async () => {
  server = await startMastodonServer()
})
afterEach(async () => {
  await server.close()
})

const source = (extra: Partial<MastodonConfig> = {}) => mastodonSource(server.origin, extra)

const ctx = (token: string | null = BRAND_TOKEN): PollContext => ({
  http,
  now: () => NOW,
  ...(token === null ? {} : { secrets: memorySecrets({ accessToken: token }) }),
})
const connector = createMastodonConnector(() => profile)

const paths = () => server.requests.map((r) => r.path)
const uri = (id: string, user = 'carol') => `https://${INSTANCE_HOST}/users/${user}/statuses/${id}`

describe('with the brand account token', () => {
  it('merges hashtag, search and mention results into one list, mentions addressed, no duplicates', async () => {
    const tagged = status('113200000000000010', at(30), 'Acme is down', ['acme'])
    const searched = status('113200000000000011', at(20), 'Is the Road Runner app slow?', [], {
      account: account('dave'),
    })
    // The same post through the tag and a notification: one mention, addressed.
    const both = status('113200000000000012', at(10), '@acme help with Acme please', ['acme'], {
      account: account('erin', { acct: 'erin@other.example' }),
      uri: 'https://other.example/users/erin/statuses/77',
      url: 'https://other.example/@erin/77',
    })
    const mentionOnly = status('113200000000000013', at(5), '@acme where is my refund', [], {
      account: account('fay'),
    })
    server.statuses.push(tagged, searched, both, mentionOnly)
    server.notifications.push(
      mentionNotification('500', both),
      mentionNotification('501', mentionOnly),
      { ...mentionNotification('502', mentionOnly), type: 'favourite' },
    )
    const result = await connector.poll(source(), undefined, ctx())
    expect(result.mentions.map((m) => [m.id, m.addressed ?? false])).toEqual([
      [`mastodon:${uri('113200000000000010')}`, false],
      [`mastodon:${uri('113200000000000011', 'dave')}`, false],
      ['mastodon:https://other.example/users/erin/statuses/77', true],
      [`mastodon:${uri('113200000000000013', 'fay')}`, true],
    ])
    for (const mention of result.mentions) expect(heardSchema.safeParse(mention).success).toBe(true)
    expect(paths()).toEqual([
      '/api/v1/timelines/tag/acme',
      '/api/v2/search',
      '/api/v2/search',
      '/api/v1/notifications',
    ])
    const searches = server.requests.filter((r) => r.path === '/api/v2/search')
    expect(
      searches.map((r) => [r.params.get('q'), r.params.get('type'), r.params.get('resolve')]),
    ).toEqual([
      ['Acme', 'statuses', 'false'],
      ['"Road Runner"', 'statuses', 'false'],
    ])
    const notes = server.requests.find((r) => r.path === '/api/v1/notifications')
    expect(notes?.params.getAll('types[]')).toEqual(['mention'])
    expect(result.cursor).toEqual({
      minIds: { acme: '113200000000000012' },
      searchMinIds: { Acme: '113200000000000013', '"Road Runner"': '113200000000000011' },
      // The server filters by type; the favourite never comes.
      notificationsMinId: '501',
    })

    // Nothing new: the next poll sends every cursor and hears nothing again.
    const again = await connector.poll(source(), result.cursor, ctx())
    expect(again.mentions).toEqual([])
    const last = server.requests.slice(-4)
    expect(last.map((r) => r.params.get('min_id'))).toEqual([
      '113200000000000012',
      '113200000000000013',
      '113200000000000011',
      '501',
    ])
  })

  it('pages mention notifications forward with min_id while pages are full', async () => {
    const first = await connector.poll(source({ hashtags: [] }), undefined, ctx())
    expect(first.cursor).toEqual({ minIds: {}, searchMinIds: {} })
    for (let i = 0; i < 50; i++) {
      const s = status(String(113200000000000100n + BigInt(i)), at(50 - i), `@acme ${i}`, [])
      server.statuses.push(s)
      server.notifications.push(mentionNotification(String(1000 + i), s))
    }
    const cursor: SourceCursor = { minIds: {}, notificationsMinId: '999' }
    const second = await connector.poll(source({ hashtags: [] }), cursor, ctx())
    expect(second.mentions).toHaveLength(50)
    expect(second.mentions.every((m) => m.addressed)).toBe(true)
    const notes = server.requests.filter((r) => r.path === '/api/v1/notifications').slice(1)
    expect(notes.map((r) => r.params.get('min_id'))).toEqual(['999', '1039'])
    expect(second.cursor).toMatchObject({ notificationsMinId: '1049' })
  })

  it("keeps a new source's first search to the last day", async () => {
    server.statuses.push(
      status('5', '2026-01-01T00:00:00.000Z', 'Acme in January', []),
      status('6', at(60), 'Acme an hour ago', []),
    )
    const result = await connector.poll(source({ hashtags: [] }), undefined, ctx())
    expect(result.mentions.map((m) => m.text)).toEqual(['Acme an hour ago'])
  })

  it('sends the token to the configured instance only, and nothing without one', async () => {
    server.statuses.push(status('7', at(1), 'Acme', ['acme']))
    await connector.poll(source(), undefined, ctx())
    expect(server.requests.map((r) => r.authorization)).toEqual(
      Array.from({ length: 4 }, () => `Bearer ${BRAND_TOKEN}`),
    )
    expect(authHeaders(server.origin, `${server.origin}/api/v1/notifications`, 't')).toEqual({
      authorization: 'Bearer t',
    })
    expect(
      authHeaders(server.origin, 'https://elsewhere.example/api/v1/notifications', 't'),
    ).toEqual({})
    server.requests.length = 0
    await connector.poll(source(), undefined, ctx(null))
    // Without a token: the tag timeline only, exactly as before, and no Authorization at all.
    expect(paths()).toEqual(['/api/v1/timelines/tag/acme'])
    expect(server.requests[0]?.authorization).toBeUndefined()
    const error = await failure(connector.poll(source({ hashtags: [] }), undefined, ctx(null)))
    expect(error.kind).toBe('config')
    expect(error.message).toBe(NO_FEEDS)
  })

  it('reports a refused token as an auth failure, once, with no retry', async () => {
    const error = await failure(connector.poll(source(), undefined, ctx('revoked-token')))
    expect(error.kind).toBe('auth')
    expect(error.details.status).toBe(401)
    expect(error.message).toMatch(/refused the access token \(401\)/)
    expect(error.message).not.toContain('revoked-token')
    expect(server.requests).toHaveLength(1)
  })

  it('explains a token without the search scope (403)', async () => {
    server.apiOverride = (path) =>
      path === '/api/v2/search'
        ? { status: 403, body: '{"error":"This action is outside the authorized scopes"}' }
        : undefined
    const error = await failure(connector.poll(source(), undefined, ctx()))
    expect(error.kind).toBe('auth')
    expect(error.message).toMatch(/read:search/)
  })

  it('links a reply to its parent when both are heard together, and counts engagement', async () => {
    const root = status('113200000000000020', at(30), 'Acme outage?', ['acme'], {
      replies_count: 2,
      favourites_count: 7,
      reblogs_count: 3,
    })
    const reply = status('113200000000000021', at(20), 'same here #acme', ['acme'], {
      account: account('dave', { id: '109000000000000222' }),
      in_reply_to_id: root.id,
      in_reply_to_account_id: root.account.id,
    })
    // A self-reply by a local author whose parent was not heard: derived from the account's uri.
    const carol = account('carol')
    const selfReply = status('113200000000000022', at(10), 'update: Acme is back', ['acme'], {
      account: carol,
      in_reply_to_id: '113100000000000001',
      in_reply_to_account_id: carol.id,
    })
    // A reply to someone else's post that was not heard: no guess.
    const orphan = status('113200000000000023', at(5), 'Acme?', ['acme'], {
      account: account('gil', { id: '109000000000000333' }),
      in_reply_to_id: '113100000000000002',
      in_reply_to_account_id: '109000000000000444',
    })
    server.statuses.push(reply, root, selfReply, orphan)
    const result = await connector.poll(source(), undefined, ctx(null))
    const [a, b, c, d] = result.mentions
    expect(a).toMatchObject({
      id: `mastodon:${uri(root.id)}`,
      threadId: `mastodon:${uri(root.id)}`,
      stats: { replies: 2, likes: 7, reposts: 3 },
      author: { followers: 120 },
      platformRef: { statusId: root.id, uri: uri(root.id) },
    })
    expect(b).toMatchObject({
      replyTo: `mastodon:${uri(root.id)}`,
      threadId: `mastodon:${uri(root.id)}`,
      platformRef: { inReplyToId: root.id },
    })
    expect(c?.replyTo).toBe(`mastodon:${uri('113100000000000001')}`)
    expect(d?.replyTo).toBeUndefined()
    expect(d?.threadId).toBeUndefined()
    expect(d?.platformRef?.['inReplyToId']).toBe('113100000000000002')
  })
})

/** A mention as a poll of this server would have stored it. */
function heard(s: MastodonStatusJson): HeardMention {
  return statusToMention(s, 'mastodon-1', '127.0.0.1', NOW, {
    instanceOrigin: server.origin,
  })
}

describe('thread', () => {
  it('returns ancestors, the post, then replies, oldest first, each linked to its parent', async () => {
    const root = status('113200000000000030', at(60), 'Is Acme down?', ['acme'])
    const mid = status('113200000000000031', at(50), 'yes for me', [], {
      account: account('dave', { id: '2' }),
      in_reply_to_id: root.id,
    })
    const target = status('113200000000000032', at(40), '@acme please fix', [], {
      account: account('erin', { id: '3' }),
      in_reply_to_id: mid.id,
    })
    const late = status('113200000000000034', at(10), 'fixed now', [], {
      account: account('fay', { id: '4' }),
      in_reply_to_id: target.id,
    })
    const early = status('113200000000000033', at(30), 'same', [], {
      account: account('gil', { id: '5' }),
      in_reply_to_id: target.id,
    })
    // The server's depth-first order puts `late` before `early`; the thread is by time.
    server.statuses.push(root, mid, target, late, early)
    const thread = await connector.thread!(source(), heard(target), ctx(null))
    const t = (id: string, user: string) => `mastodon:${uri(id, user)}`
    expect(thread.map((m) => m.id)).toEqual([
      t(root.id, 'carol'),
      t(mid.id, 'dave'),
      t(target.id, 'erin'),
      t(early.id, 'gil'),
      t(late.id, 'fay'),
    ])
    expect(thread.map((m) => m.replyTo)).toEqual([
      undefined,
      t(root.id, 'carol'),
      t(mid.id, 'dave'),
      t(target.id, 'erin'),
      t(target.id, 'erin'),
    ])
    expect(new Set(thread.map((m) => m.threadId))).toEqual(new Set([t(root.id, 'carol')]))
    expect(server.requests.at(-1)?.path).toBe(`/api/v1/statuses/${target.id}/context`)
  })

  it('says so when the post is gone', async () => {
    const gone = status('113200000000000039', at(5), 'deleted', [])
    const error = await failure(connector.thread!(source(), heard(gone), ctx(null)))
    expect(error.kind).toBe('http')
    expect(error.message).toMatch(/no longer has this post/)
  })

  it('finds a post from another server on this instance first (token needed)', async () => {
    const far = status('88', at(5), 'Acme from afar', [], {
      account: account('hal', { acct: 'hal@far.example' }),
      uri: 'https://far.example/users/hal/statuses/88',
      url: 'https://far.example/@hal/88',
    })
    server.remote.push(far)
    const elsewhere = { ...heard(far), platformRef: { uri: far.uri } }
    const refused = await failure(connector.thread!(source(), elsewhere, ctx(null)))
    expect(refused.kind).toBe('auth')
    const thread = await connector.thread!(source(), elsewhere, ctx())
    expect(thread.map((m) => m.id)).toEqual(['mastodon:https://far.example/users/hal/statuses/88'])
    const local = server.statuses.find((s) => s.uri === far.uri)?.id
    expect(server.requests.at(-1)?.path).toBe(`/api/v1/statuses/${local}/context`)
  })
})

describe('reply', () => {
  const request = (target: HeardMention, key = 'intent-1', text = 'Sorry! We are on it.') => ({
    target,
    text,
    idempotencyKey: key,
  })

  it('posts once per idempotency key, in reply to the local id, naming the author', async () => {
    const target = status('113200000000000040', at(5), '@acme my order?', [], {
      account: account('erin', { acct: 'erin@other.example' }),
      uri: 'https://other.example/users/erin/statuses/9',
      url: 'https://other.example/@erin/9',
    })
    server.statuses.push(target)
    const mention = heard(target)
    const first = await connector.reply!(source(), request(mention), ctx())
    const second = await connector.reply!(source(), request(mention), ctx())
    expect(second).toEqual(first)
    expect(server.posted).toHaveLength(1)
    expect(server.posts).toHaveLength(2)
    for (const post of server.posts) {
      expect(post.headers['idempotency-key']).toBe('intent-1')
      expect(post.headers['authorization']).toBe(`Bearer ${BRAND_TOKEN}`)
    }
    const posted = server.posted[0]
    expect(posted?.in_reply_to_id).toBe(target.id)
    expect(posted?.visibility).toBe('public')
    expect(server.posts[0]?.body['status']).toBe('@erin@other.example Sorry! We are on it.')
    expect(first).toEqual({ remoteId: posted?.uri, url: posted?.url })

    // A new key is a new post; text that already names the author is sent as written.
    await connector.reply!(source(), request(mention, 'intent-2', '@erin thanks!'), ctx())
    expect(server.posted).toHaveLength(2)
    expect(server.posts[2]?.body['status']).toBe('@erin thanks!')
  })

  it('resolves a post from another server before replying to it', async () => {
    const far = status('4242', at(5), 'Acme broke my build', [], {
      account: account('hal', { acct: 'hal@far.example' }),
      uri: 'https://far.example/users/hal/statuses/4242',
      url: 'https://far.example/@hal/4242',
      visibility: 'unlisted',
    })
    server.remote.push(far)
    // Heard through another instance: its local id there means nothing here.
    const target = {
      ...heard(far),
      platformRef: { statusId: '4242', uri: far.uri, instance: 'https://elsewhere.example' },
    }
    await connector.reply!(source(), request(target), ctx())
    const search = server.requests.find((r) => r.path === '/api/v2/search')
    expect(search?.params.get('q')).toBe(far.uri)
    expect(search?.params.get('resolve')).toBe('true')
    const local = server.statuses.find((s) => s.uri === far.uri)?.id
    expect(local).toBeDefined()
    expect(local).not.toBe('4242')
    expect(server.posted.map((p) => [p.in_reply_to_id, p.visibility])).toEqual([
      [local, 'unlisted'],
    ])
  })

  it('refuses without a token, and explains a refused reply', async () => {
    const target = status('113200000000000041', at(5), '@acme hi', [])
    server.statuses.push(target)
    const none = await failure(connector.reply!(source(), request(heard(target)), ctx(null)))
    expect(none.kind).toBe('auth')
    const bad = await failure(connector.reply!(source(), request(heard(target)), ctx('nope')))
    expect(bad.kind).toBe('auth')
    const long = await failure(
      connector.reply!(source(), request(heard(target), 'k', 'x'.repeat(600)), ctx()),
    )
    expect(long.kind).toBe('http')
    expect(long.message).toMatch(
      /refused the reply \(422\): Validation failed: Text character limit/,
    )
    expect(server.posted).toEqual([])
  })

  it('surfaces a timeout as such, without trying again', async () => {
    const target = status('113200000000000042', at(5), '@acme hi', [])
    server.statuses.push(target)
    server.hangPosts = true
    const slow = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 300 })
    const error = await failure(
      connector.reply!(source(), request(heard(target)), { ...ctx(), http: slow }),
    )
    expect(error.kind).toBe('timeout')
    expect(server.posts).toHaveLength(1)
  })
})

describe('pollSourceOnce with a token', () => {
  it('searches and reads mentions when given the secrets and the brand profile', async () => {
    const found = status('113200000000000050', at(5), 'Acme rocks', [])
    server.statuses.push(found)
    server.notifications.push(mentionNotification('600', found))
    const result = await pollSourceOnce(source({ hashtags: [] }), {
      http,
      now: () => NOW,
      profile,
      secrets: memorySecrets({ accessToken: BRAND_TOKEN }),
    })
    expect(result.mentions.map((m) => [m.id, m.addressed])).toEqual([
      [`mastodon:${uri(found.id)}`, true],
    ])
    expect(paths()).toEqual(['/api/v2/search', '/api/v2/search', '/api/v1/notifications'])
  })
})
