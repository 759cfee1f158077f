import { describe, expect, it } from 'vitest'
import { mentionSchema } from '../../../../src/shared/domain'
import { SourceError } from '../../../../src/main/sources/connector'
import type { MastodonStatus } from '../../../../src/main/sources/mastodon-parse'
import {
  parseContext,
  parseNotifications,
  parseSearch,
  parseStatus,
  parseStreamFrame,
  readMastodonCursor,
  statusesToMentions,
} from '../../../../src/main/sources/mastodon-parse'
import {
  account,
  INSTANCE_HOST,
  mentionNotification,
  reblog,
  status,
} from '../../../fixtures/mastodon-server'
import { mutateText, seeded } from '../../../fixtures/seeded'

const heardSchema = mentionSchema.omit({ triage: true })
const NOW = Date.parse('2026-10-01T12:00:00Z')
const ORIGIN = 'https://mastodon.example'
const root = status(
  '113200000000000001',
  '2026-10-01T11:00:00.000Z',
  'Acme <b>down</b>?',
  ['acme'],
  {
    replies_count: 1,
  },
)
const reply = status('113200000000000002', '2026-10-01T11:10:00.000Z', '@acme same', [], {
  account: account('dave', { id: '2', acct: 'dave@other.example' }),
  in_reply_to_id: root.id,
  in_reply_to_account_id: root.account.id,
  spoiler_text: 'cw &amp; more',
})
const boost = reblog('113200000000000003', '2026-10-01T11:20:00.000Z', root)

const bodies = {
  search: JSON.stringify({ accounts: [], statuses: [root, reply, boost], hashtags: [] }),
  notifications: JSON.stringify([
    mentionNotification('501', reply),
    { ...mentionNotification('500', root), type: 'favourite' },
    {
      id: '499',
      type: 'follow',
      group_key: 'x',
      created_at: root.created_at,
      account: root.account,
    },
  ]),
  context: JSON.stringify({ ancestors: [root], descendants: [reply, boost] }),
  status: JSON.stringify(reply),
}

type Parsed = { statuses: MastodonStatus[] }
const parsers: Record<keyof typeof bodies, (body: string) => Parsed> = {
  search: (body) => ({ statuses: parseSearch(body, 'Mastodon') }),
  notifications: (body) => ({
    statuses: parseNotifications(body, 'Mastodon').mentions.map((m) => m.status),
  }),
  context: (body) => {
    const { ancestors, descendants } = parseContext(body, 'Mastodon')
    return { statuses: [...ancestors, ...descendants] }
  },
  status: (body) => ({ statuses: [parseStatus(body, 'Mastodon')] }),
}

const toMentions = (statuses: MastodonStatus[]) =>
  statusesToMentions(
    statuses.map((s) => ({ status: s })),
    'mastodon-1',
    INSTANCE_HOST,
    ORIGIN,
    NOW,
  )

describe('the new parsers on good answers', () => {
  it('reads mentions out of notifications and skips other kinds, keeping every id', () => {
    const { ids, mentions } = parseNotifications(bodies.notifications, 'Mastodon')
    expect(ids).toEqual(['501', '500', '499'])
    expect(mentions.map((m) => m.id)).toEqual(['501'])
  })

  it('links statuses read together, whatever their order', () => {
    const mentions = toMentions(
      parseContext(bodies.context, 'Mastodon')
        .descendants.reverse()
        .concat(parseContext(bodies.context, 'Mastodon').ancestors),
    )
    const byText = Object.fromEntries(mentions.map((m) => [m.text, m]))
    expect(byText['@acme same']?.replyTo).toBe(`mastodon:${root.uri}`)
    expect(byText['@acme same']?.threadId).toBe(`mastodon:${root.uri}`)
    expect(byText['@acme same']?.title).toBe('cw & more')
  })
})

describe('malformed answers to the token features', () => {
  const cases: [keyof typeof bodies, string, RegExp][] = [
    ['search', '<html>nope</html>', /web page/],
    ['search', '[]', /search results/],
    ['search', '{"error":"The access token is invalid"}', /access token is invalid/],
    ['search', '{"statuses":[{"id":"x"}]}', /post 1, id/],
    ['notifications', '{"error":"Too many requests"}', /Too many requests/],
    ['notifications', '[{"type":"mention"}]', /notification .*id/],
    ['notifications', '[{"id":"1","type":"mention","status":{"id":"2"}}]', /mention 1/],
    ['context', '{"ancestors":[]}', /conversation/],
    ['context', '', /empty/],
    ['status', '{"error":"Validation failed"}', /Validation failed/],
    ['status', '[1]', /other than a post/],
    ['status', JSON.stringify(reply).slice(0, 50), /not complete JSON/],
  ]

  it.each(cases)('%s refuses %s with a parse error in plain words', (kind, body, words) => {
    try {
      parsers[kind](body)
      expect.unreachable()
    } catch (cause) {
      expect(cause).toBeInstanceOf(SourceError)
      expect((cause as SourceError).kind).toBe('parse')
      expect((cause as SourceError).message).toMatch(words)
    }
  })

  it('forgets damaged cursor entries instead of failing', () => {
    expect(
      readMastodonCursor({
        minIds: { acme: '12', bad: 12, worse: '1e5' },
        searchMinIds: 'nope',
        notificationsMinId: '-1',
      }),
    ).toEqual({ minIds: { acme: '12' } })
    expect(readMastodonCursor({ minIds: {}, searchMinIds: { Acme: '7', x: null } })).toEqual({
      minIds: {},
      searchMinIds: { Acme: '7' },
    })
  })
})

describe('fuzzing the new parsers', () => {
  const values: unknown[] = [
    null,
    0,
    -1,
    1e308,
    '',
    'x'.repeat(30_000),
    [],
    {},
    true,
    '\uD800',
    '12',
  ]

  function mutateValue(body: string, random: () => number): string {
    const json = JSON.parse(body) as unknown
    // Walk down to a random object and damage one of its keys.
    let node: unknown = json
    for (let depth = 0; depth < 4; depth++) {
      if (typeof node !== 'object' || node === null) break
      const keys = Object.keys(node)
      const key = keys[Math.floor(random() * keys.length)]
      if (key === undefined) break
      const child = (node as Record<string, unknown>)[key]
      if (depth > 0 && (random() < 0.4 || typeof child !== 'object' || child === null)) {
        if (random() < 0.2) delete (node as Record<string, unknown>)[key]
        else (node as Record<string, unknown>)[key] = values[Math.floor(random() * values.length)]
        break
      }
      node = child
    }
    return JSON.stringify(json)
  }

  it.each(Object.keys(bodies) as (keyof typeof bodies)[])(
    '%s: mutated answers give schema-valid mentions or a parse error, 300 times',
    (kind) => {
      const random = seeded(20261123 + kind.length)
      let parsed = 0
      for (let round = 0; round < 300; round++) {
        const body = bodies[kind]
        const text = round % 2 === 0 ? mutateText(body, random) : mutateValue(body, random)
        try {
          const { statuses } = parsers[kind](text)
          for (const mention of toMentions(statuses)) {
            expect(heardSchema.safeParse(mention).success, `round ${round}`).toBe(true)
          }
          parsed++
        } catch (cause) {
          expect(cause, `round ${round}`).toBeInstanceOf(SourceError)
          expect((cause as SourceError).kind).toBe('parse')
        }
      }
      expect(parsed).toBeGreaterThan(20)
      expect(parsed).toBeLessThan(300)
    },
  )

  it('streaming frames never throw, 600 times', () => {
    const random = seeded(424242)
    const frames = [
      JSON.stringify({
        stream: ['hashtag', 'acme'],
        event: 'update',
        payload: JSON.stringify(root),
      }),
      JSON.stringify({
        stream: ['user:notification'],
        event: 'notification',
        payload: JSON.stringify(mentionNotification('7', reply)),
      }),
    ]
    const kinds = new Set<string>()
    for (let round = 0; round < 600; round++) {
      const frame = frames[round % 2] ?? ''
      const event = parseStreamFrame(
        round % 3 === 0 ? mutateText(frame, random) : mutateValue(frame, random),
      )
      kinds.add(event.kind)
      if (event.kind === 'update' || event.kind === 'mention') {
        for (const mention of toMentions([event.status])) {
          expect(heardSchema.safeParse(mention).success, `round ${round}`).toBe(true)
        }
      }
    }
    expect(kinds).toContain('malformed')
    expect(kinds).toContain('update')
  })
})
