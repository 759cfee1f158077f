import { describe, expect, it } from 'vitest'
import bundled from '../../../../resources/demo/mentions.json'
import type { BrandProfile } from '../../../../src/shared/domain'
import { mentionSchema } from '../../../../src/shared/domain'
import type { PollResult, SourceCursor } from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import {
  DEMO_PACE_MS,
  createDemoConnector,
  demoDataSchema,
  demoFill,
  fillTemplate,
} from '../../../../src/main/sources/demo'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'

const heardSchema = mentionSchema.omit({ triage: true })
const http = createHttpClient({ userAgent: userAgent('test') })
const config = {
  id: 'demo',
  kind: 'demo' as const,
  name: 'Demo',
  paused: false,
  intervalSec: 60,
  createdAt: 0,
}

const profile: BrandProfile = {
  brand: 'Lumen Bank',
  handles: [{ platform: 'mastodon', handle: 'lumenhelp' }],
  products: ['Lumen Card', 'Lumen Savings'],
  competitors: ['Brightvault'],
  excluded: [],
}

function poll(
  connector: ReturnType<typeof createDemoConnector>,
  cursor: SourceCursor | undefined,
  now = 1_790_000_000_000,
): Promise<PollResult> {
  return connector.poll(config, cursor, { http, now: () => now })
}

describe('the bundled demo mentions', () => {
  const data = demoDataSchema.parse(bundled)
  const texts = data.mentions.map((m) => m.text)

  it('hold about sixty mentions, with authors who come back', () => {
    expect(data.mentions.length).toBeGreaterThanOrEqual(55)
    const byAuthor = new Map<string, number>()
    for (const m of data.mentions)
      byAuthor.set(m.author.name, (byAuthor.get(m.author.name) ?? 0) + 1)
    expect([...byAuthor.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(5)
  })

  it('cover urgent complaints, crisis words, questions, praise, ideas and competitors', () => {
    const some = (pattern: RegExp) => texts.filter((t) => pattern.test(t)).length
    expect(some(/^\{\{handle\}\}/)).toBeGreaterThanOrEqual(8)
    for (const word of [/lawyer/i, /hacked/i, /breach/i, /burned|injured|hurt/i, /refund/i]) {
      expect(some(word)).toBeGreaterThanOrEqual(1)
    }
    expect(some(/\?/)).toBeGreaterThanOrEqual(10)
    expect(some(/love|thank|gorgeous|10\/10|shout-out/i)).toBeGreaterThanOrEqual(5)
    expect(
      some(/would (pay|love|be great|use)|feature idea|please (add|let)/i),
    ).toBeGreaterThanOrEqual(5)
    expect(some(/\{\{competitor\}\}/)).toBeGreaterThanOrEqual(6)
  })
})

describe('demoFill', () => {
  it('uses the profile, adding @ to a bare handle and rotating products', () => {
    expect(demoFill(profile, 0)).toEqual({
      brand: 'Lumen Bank',
      handle: '@lumenhelp',
      product: 'Lumen Card',
      competitor: 'Brightvault',
    })
    expect(demoFill(profile, 1).product).toBe('Lumen Savings')
  })

  it('falls back to sensible words without a profile', () => {
    const fill = demoFill(null, 3)
    expect(fill.brand).toBe('Acme')
    expect(fill.handle).toBe('@acme')
    expect(fillTemplate('{{handle}} my {{product}} vs {{competitor}}', fill)).toBe(
      '@acme my Acme app vs Tellwell',
    )
  })
})

describe('createDemoConnector', () => {
  it('replays one or two mentions per poll, in the brand’s own words', async () => {
    const connector = createDemoConnector(() => profile)
    expect(connector.pollEveryMs).toBe(DEMO_PACE_MS)
    const first = await poll(connector, undefined, 1234)
    expect(first.mentions).toHaveLength(1)
    expect(first.cursor).toEqual({ next: 1 })
    const [mention] = first.mentions
    expect(mention).toMatchObject({
      id: 'demo:0',
      sourceId: 'demo',
      platform: 'demo',
      url: null,
      createdAt: 1234,
      fetchedAt: 1234,
    })
    expect(mention?.text).toMatch(/^@lumenhelp I've been on hold for 2 hours/)
    expect(heardSchema.safeParse(mention).success).toBe(true)
  })

  it('never stops: after the last mention it starts a new round with new ids', async () => {
    const connector = createDemoConnector(() => null)
    const count = demoDataSchema.parse(bundled).mentions.length
    const ids: string[] = []
    let cursor: SourceCursor | undefined
    for (let i = 0; i < count * 3 && ids.length < count * 2 + 2; i++) {
      const result = await poll(connector, cursor)
      expect(result.mentions.length).toBeGreaterThanOrEqual(1)
      expect(result.mentions.length).toBeLessThanOrEqual(2)
      for (const mention of result.mentions) {
        expect(heardSchema.safeParse(mention).success).toBe(true)
        expect(`${mention.title} ${mention.text}`).not.toMatch(/\{\{|\}\}/)
      }
      ids.push(...result.mentions.map((m) => m.id))
      cursor = result.cursor
    }
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toContain(`demo:${count - 1}`)
    expect(ids).toContain('demo:1-0')
    expect(ids).toContain(`demo:1-${count - 1}`)
  })

  it('reads the profile at every poll, so a saved brand shows at once', async () => {
    let current: BrandProfile | null = null
    const connector = createDemoConnector(() => current)
    const before = await poll(connector, undefined)
    current = profile
    const after = await poll(connector, { next: 0 })
    expect(before.mentions[0]?.text).toMatch(/^@acme /)
    expect(after.mentions[0]?.text).toMatch(/^@lumenhelp /)
  })

  it('starts over from a damaged cursor', async () => {
    const result = await poll(
      createDemoConnector(() => null),
      { next: -4 },
    )
    expect(result.mentions[0]?.id).toBe('demo:0')
  })

  it('reports damaged data as a source error', async () => {
    const connector = createDemoConnector(() => null, { version: 1, mentions: [] })
    await expect(poll(connector, undefined)).rejects.toBeInstanceOf(SourceError)
  })
})
