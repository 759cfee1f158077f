import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../src/main/log'
import { createThreadHandler } from '../../../../src/main/replies/thread'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { createMastodonConnector, statusToMention } from '../../../../src/main/sources/mastodon'
import { rssConnector } from '../../../../src/main/sources/rss'
import { sourceConfigSchema, type Mention } from '../../../../src/shared/domain'
import type { MastodonServer } from '../../../fixtures/mastodon-server'
import { account, startMastodonServer, status } from '../../../fixtures/mastodon-server'

const NOW = Date.parse('2026-10-01T12:00:00Z')
let server: MastodonServer
beforeEach(async () => {
  server = await startMastodonServer()
})
afterEach(async () => {
  await server.close()
})

const triage: Mention['triage'] = {
  sentiment: { score: -2, comparative: -1, label: 'negative', words: [] },
  directed: true,
  urgency: 80,
  reasons: [],
  matched: [],
}

function handler() {
  const mastodon = sourceConfigSchema.parse({
    id: 'mastodon-1',
    kind: 'mastodon',
    name: 'Acme on mastodon.example',
    instance: server.origin,
    hashtags: ['acme'],
    paused: false,
    createdAt: 0,
  })
  const feed = sourceConfigSchema.parse({
    id: 'rss-1',
    kind: 'rss',
    name: 'Blog',
    url: 'https://blog.example/feed',
    paused: false,
    createdAt: 0,
    intervalSec: 900,
  })
  const connector = createMastodonConnector(() => null)
  return createThreadHandler({
    http: createHttpClient({ userAgent: userAgent('t'), timeoutMs: 3_000 }),
    now: () => NOW,
    logger: silentLogger,
    source: (id) => [mastodon, feed].find((s) => s.id === id),
    connector: (kind) =>
      kind === 'mastodon' ? connector : kind === 'rss' ? rssConnector : undefined,
    secretsFor: () => undefined,
  })['mentions:thread']
}

describe('mentions:thread', () => {
  it('reads the conversation through the connector, oldest first, the mention in its place', async () => {
    const root = status('113200000000000001', '2026-10-01T10:00:00.000Z', 'Is Acme down?', [], {
      account: account('carol'),
    })
    const target = status(
      '113200000000000002',
      '2026-10-01T10:05:00.000Z',
      '@acme yes, again',
      [],
      {
        account: account('erin'),
        in_reply_to_id: root.id,
      },
    )
    const later = status('113200000000000003', '2026-10-01T10:09:00.000Z', 'same here', [], {
      account: account('dan'),
      in_reply_to_id: target.id,
    })
    server.statuses.push(root, target, later)
    const mention = {
      ...statusToMention(target, 'mastodon-1', '127.0.0.1', NOW, { instanceOrigin: server.origin }),
      triage,
    }
    const result = await handler()({ mention })
    expect(result.ok).toBe(true)
    const thread = result.ok ? result.value : []
    expect(thread.map((m) => m.text)).toEqual(['Is Acme down?', '@acme yes, again', 'same here'])
    expect(thread[1]?.id).toBe(mention.id)
    expect(server.requests.at(-1)?.path).toBe(`/api/v1/statuses/${target.id}/context`)
  })

  it('gives the mention alone for a feed, and the platform’s refusal in words', async () => {
    const feedMention: Mention = {
      id: 'rss:https://blog.example/feed#1',
      sourceId: 'rss-1',
      platform: 'rss',
      url: 'https://blog.example/1',
      author: { id: 'rss:blog#Ana', name: 'Ana' },
      text: 'Acme review',
      createdAt: 1,
      fetchedAt: 2,
      triage,
    }
    const alone = await handler()({ mention: feedMention })
    expect(alone.ok && alone.value.map((m) => m.id)).toEqual([feedMention.id])

    const gone = status('113200000000000009', '2026-10-01T10:05:00.000Z', '@acme hi', [])
    const mention = {
      ...statusToMention(gone, 'mastodon-1', '127.0.0.1', NOW, { instanceOrigin: server.origin }),
      triage,
    }
    const missing = await handler()({ mention })
    expect(!missing.ok && missing.error.message).toMatch(/no longer has this post/)
  })
})
