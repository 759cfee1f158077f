import { describe, expect, it, vi } from 'vitest'
import {
  callNames,
  dispatchCall,
  events,
  parseCall,
  type CallHandlers,
  OPML_MAX_CHARS,
} from '../../../src/shared/contract'
import { defaultNotificationPolicy } from '../../../src/shared/alert-policy'
import { ok } from '../../../src/shared/result'
import { seeded } from '../../fixtures/seeded'

const profile = {
  brand: 'Acme',
  handles: [{ platform: 'bluesky', handle: 'acme.bsky.social' }],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: ['acme anvil'],
}

const replyMention = {
  id: 'mastodon:https://mastodon.example/users/erin/statuses/1',
  sourceId: 'mastodon-x-1a2b3c',
  platform: 'mastodon',
  url: 'https://mastodon.example/@erin/1',
  author: { id: 'mastodon:@erin@mastodon.example', name: 'Erin' },
  text: '@acme my order?',
  createdAt: 1,
  fetchedAt: 2,
  triage: {
    sentiment: { score: -1, comparative: -0.5, label: 'negative', words: [] },
    directed: true,
    urgency: 70,
    reasons: [],
    matched: [],
  },
}

const valid: Record<string, unknown> = {
  'app:info': {},
  'profile:get': {},
  'profile:save': { profile },
  'sources:list': {},
  'sources:add': {
    source: { kind: 'rss', url: 'https://blog.example/feed.xml', intervalSec: 900 },
  },
  'sources:setPaused': { id: 'rss-blog-1a2b3c', paused: true },
  'sources:remove': { id: 'rss-blog-1a2b3c' },
  'sources:checkNow': { id: 'rss-blog-1a2b3c' },
  'sources:importOpml': {
    opml: '<opml version="2.0"><body><outline xmlUrl="https://blog.example/feed"/></body></opml>',
  },
  'sources:exportOpml': {},
  'sources:update': { id: 'rss-blog-1a2b3c', changes: { name: 'Blog', intervalSec: 600 } },
  'delivery:pending': { afterSeq: 0 },
  'delivery:ack': { seq: 4 },
  'shell:openExternal': { url: 'https://blog.example/post' },
  'alerts:setUnhandled': { count: 2 },
  'alerts:getPolicy': {},
  'alerts:savePolicy': { policy: defaultNotificationPolicy() },
  'alerts:acknowledge': { mentionId: 'mastodon:https://mastodon.social/users/ana/statuses/1' },
  'alerts:remind': { mentionId: 'demo:1', title: 'Follow up with PR', body: 'Ana: refund?' },
  'triage:correct': { text: '@acme my bag is lost', platform: 'mastodon', sentiment: 'negative' },
  'triage:model': {},
  'triage:resetModel': {},
  'triage:exportModel': {},
  'triage:importModel': { uploadId: 'upload-1a2b3c', index: 0, count: 1, chunk: '{}' },
  'routing:get': {},
  'routing:save': {
    rules: [
      {
        id: 'complaints',
        name: 'Complaints',
        enabled: true,
        conditions: { intent: ['complaint'] },
        actions: { department: 'customer-service' },
      },
    ],
    departments: [{ id: 'customer-service', name: 'Customer service', followUpHours: 24 }],
  },
  'sources:test': {
    source: {
      kind: 'bluesky',
      identifier: 'acme.bsky.social',
      credentials: { appPassword: 'abcd-efgh-ijkl-mnop' },
    },
  },
  'sources:setCredentials': { id: 'mastodon-x-1a2b3c', credentials: { accessToken: 't0ken' } },
  'network:status': {},
  'templates:list': {},
  'templates:save': {
    templates: [{ id: 'thank-you', name: 'Thank you', body: 'Thanks, {{author}}!', fields: [] }],
  },
  'replies:send': {
    mentionId: replyMention.id,
    mention: replyMention,
    text: 'We hear you.',
    clientId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  },
  'replies:list': {},
  'replies:resolve': { clientId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', outcome: 'retry' },
  'replies:limit': { id: 'mastodon-x-1a2b3c' },
  'mentions:thread': { mention: replyMention },
  'handoff:send': {
    departmentId: 'pr',
    packet: {
      summary: 'Complaint from Erin on mastodon',
      words: 'my order never came',
      history: [],
      links: [],
      reasons: [],
      note: '',
    },
  },
  'triage:batch': {
    items: [
      {
        id: 'import:0a1b',
        sourceId: 'import',
        platform: 'import',
        url: null,
        author: { id: 'import:ana', name: 'Ana' },
        text: 'Acme lost my parcel',
        createdAt: 1,
        fetchedAt: 2,
      },
    ],
  },
  'backup:begin': {},
  'backup:write': { id: '0123456789abcdef', index: 0, data: 'H4sIAAAAAAAAAw==' },
  'backup:finish': { id: '0123456789abcdef' },
  'backup:abort': { id: '0123456789abcdef' },
  'backup:list': {},
  'backup:read': { name: 'earshot-2026-12-03T06-30-00Z.json.gz', offset: 0 },
}

const hostile: [string, unknown][] = [
  ['profile:save', { profile: { ...profile, brand: '' } }],
  ['profile:save', { profile: { ...profile, brand: 'x'.repeat(101) } }],
  ['profile:save', { profile, extra: true }],
  [
    'profile:save',
    JSON.parse(
      '{"profile":{"brand":"Acme","handles":[],"products":[],"competitors":[],"excluded":[]},"__proto__":{"polluted":1}}',
    ),
  ],
  ['sources:add', { source: { kind: 'rss', url: 'javascript:alert(1)' } }],
  ['sources:add', { source: { kind: 'rss', url: 'file:///etc/passwd' } }],
  ['sources:add', { source: { kind: 'rss', url: 'https://blog.example/feed', intervalSec: 1 } }],
  ['sources:add', { source: { kind: 'demo' } }],
  ['sources:add', { source: { kind: 'shell', command: 'rm -rf /' } }],
  ['sources:setPaused', { id: 'x', paused: 'yes' }],
  ['sources:update', { id: 'x', changes: { intervalSec: 30 } }],
  ['sources:update', { id: 'x', changes: { name: '   ' } }],
  ['sources:update', { id: 'x', changes: { url: 'https://elsewhere.example/feed' } }],
  ['delivery:ack', { seq: -1 }],
  ['delivery:ack', { seq: 1.5 }],
  ['delivery:pending', { afterSeq: Number.NaN }],
  ['alerts:setUnhandled', { count: 1e12 }],
  ['alerts:acknowledge', { mentionId: '' }],
  ['alerts:remind', { mentionId: 'demo:1', title: '', body: 'empty title' }],
  [
    'alerts:savePolicy',
    {
      policy: {
        ...defaultNotificationPolicy(),
        quietHours: { enabled: true, start: '25:00', end: '07:00' },
      },
    },
  ],
  ['alerts:savePolicy', { policy: { ...defaultNotificationPolicy(), urgencyThreshold: 0 } }],
  ['alerts:savePolicy', { policy: { enabled: true } }],
  ['triage:batch', { items: Array.from({ length: 501 }, () => ({})) }],
  ['triage:batch', { items: [{ text: 'no id or author' }] }],
  ['shell:openExternal', { url: 'h'.repeat(5000) }],
  ['triage:correct', { text: 'no label given' }],
  ['triage:correct', { text: 'x'.repeat(20_001), sentiment: 'negative' }],
  ['triage:correct', { text: 'hi', sentiment: 'furious' }],
  ['triage:importModel', { uploadId: 'upload-1a2b3c', index: 1, count: 1, chunk: '' }],
  [
    'triage:importModel',
    { uploadId: 'upload-1a2b3c', index: 0, count: 1, chunk: 'x'.repeat(300_000) },
  ],
  ['routing:save', { rules: [], departments: [{ id: 'Bad Id', name: 'x', followUpHours: 1 }] }],
  [
    'routing:save',
    {
      rules: [],
      departments: [{ id: 'pr', name: 'PR', webhookUrl: 'javascript:alert(1)', followUpHours: 4 }],
    },
  ],
  ['app:info', null],
  ['backup:read', { name: '../credentials.json', offset: 0 }],
  ['backup:read', { name: 'earshot-2026-12-03T06-30-00Z.json.gz', offset: -1 }],
  ['backup:write', { id: '0123456789abcdef', index: 0, data: 'A'.repeat(700_000) }],
  ['backup:write', { id: 'not-hex', index: 0, data: '' }],
  ['backup:finish', { id: '0123456789abcdef', keep: 0 }],
  ['sources:importOpml', { opml: '' }],
  ['sources:importOpml', { opml: 'x'.repeat(OPML_MAX_CHARS + 1) }],
  ['sources:importOpml', { opml: 42 }],
  ['sources:exportOpml', { format: 'json' }],
  ['sources:test', { source: { kind: 'bluesky', identifier: 'acme' } }],
  ['sources:test', { source: { kind: 'reddit', username: 'acme', credentials: {} } }],
  ['sources:setCredentials', { id: 'x', credentials: { accessToken: 42 } }],
  ['sources:setCredentials', { id: 'x', credentials: { k: 'v'.repeat(1001) } }],
  ['replies:send', { mentionId: 'x', mention: replyMention, text: 'hi', clientId: 'not-a-uuid' }],
  [
    'replies:send',
    {
      mentionId: 'another-mention',
      mention: replyMention,
      text: 'hi',
      clientId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
    },
  ],
  ['replies:resolve', { clientId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', outcome: 'resend' }],
  [
    'templates:save',
    {
      templates: [
        {
          id: 'x',
          name: 'X',
          body: 'hi',
          fields: [{ name: 'Bad Name', label: 'x', required: true }],
        },
      ],
    },
  ],
  ['app:info', 'info'],
  ['app:info', []],
]

describe('the contract', () => {
  it('accepts a well-formed input for every call', () => {
    expect(Object.keys(valid).sort()).toEqual([...callNames].sort())
    for (const name of callNames) expect(parseCall(name, valid[name]).ok, name).toBe(true)
  })

  it.each(hostile)('refuses a hostile %s input with a typed error', (name, input) => {
    const result = parseCall(name, input)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('refuses unknown and inherited names', () => {
    for (const name of ['', 'app:nope', '__proto__', 'constructor', 'toString', 42, null]) {
      expect(parseCall(name, {})).toMatchObject({ ok: false, error: { code: 'unknown-call' } })
    }
  })

  it('never throws and never reaches a handler for arbitrary values', async () => {
    const handler = vi.fn(() => Promise.resolve(ok({})))
    const handlers = Object.fromEntries(
      callNames.map((n) => [n, handler]),
    ) as unknown as CallHandlers
    const random = seeded(7)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
    const arbitrary = (depth: number): unknown => {
      switch (Math.floor(random() * 8)) {
        case 0:
          return null
        case 1:
          return random() * 1e6 - 5e5
        case 2:
          return pick([
            '',
            'x',
            '<img src=x onerror=alert(1)>',
            '\u0000',
            'javascript:1',
            '💥'.repeat(50),
          ])
        case 3:
          return random() < 0.5
        case 4:
          return depth > 2 ? 1 : Array.from({ length: 3 }, () => arbitrary(depth + 1))
        case 5:
          return undefined
        default:
          return depth > 2
            ? {}
            : Object.fromEntries(
                Array.from({ length: 3 }, () => [
                  pick(['url', 'seq', 'id', 'profile', 'source', 'count', 'x']),
                  arbitrary(depth + 1),
                ]),
              )
      }
    }
    let accepted = 0
    for (let i = 0; i < 2000; i += 1) {
      const name = pick(callNames)
      const input = arbitrary(0)
      const parsed = parseCall(name, input)
      const result = await dispatchCall(handlers, name, input)
      if (parsed.ok) accepted += 1
      else expect(result).toEqual(parsed)
    }
    // a handler ran exactly for the inputs its schema accepted, and nothing was polluted
    expect(handler).toHaveBeenCalledTimes(accepted)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('turns a throwing handler into an internal error without its message', async () => {
    const handlers = {
      'app:info': () => Promise.reject(new Error('ENOENT /home/ana/.secret')),
    } as unknown as CallHandlers
    expect(await dispatchCall(handlers, 'app:info', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app:info failed unexpectedly' },
    })
  })

  it('describes every event with a schema', () => {
    expect(events['ui:openMention'].safeParse({ mentionId: 'demo:1' }).success).toBe(true)
    expect(events['ui:openMostUrgent'].safeParse({}).success).toBe(true)
    expect(events['ui:openMostUrgent'].safeParse({ mentionId: 'demo:1' }).success).toBe(false)
    expect(
      events['mentions:batch'].safeParse({ seq: 0, sourceId: 'x', mentions: [] }).success,
    ).toBe(false)
  })
})
