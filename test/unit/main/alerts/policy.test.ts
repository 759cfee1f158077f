import { describe, expect, it } from 'vitest'
import { decideAlert, truncate } from '../../../../src/main/alerts/policy'
import { alertSchema, URGENT_AT, type Mention, type Triage } from '../../../../src/shared/domain'

const triage: Triage = {
  sentiment: { score: -6, comparative: -0.5, label: 'negative', words: ['-on hold'] },
  directed: true,
  urgency: 82,
  reasons: [
    { code: 'complaint:refund', label: 'refund', points: 25 },
    { code: 'directed', label: 'directed', points: 20 },
    { code: 'negative', label: 'negative', points: 18 },
    { code: 'question', label: 'question', points: 10 },
    { code: 'praise', label: 'praise', points: -8 },
  ],
  matched: ['@acme'],
}

const mention = (over: Partial<Mention> = {}): Mention => ({
  id: 'demo:7',
  sourceId: 'demo',
  platform: 'demo',
  url: null,
  author: { id: 'demo:ana', name: 'Ana Costa', handle: 'ana' },
  text: "@acme I've been on hold for 2 hours and still no refund",
  createdAt: 0,
  fetchedAt: 0,
  triage,
  ...over,
})

describe('decideAlert', () => {
  it('says who, where and why in one line, pointing at the mention', () => {
    expect(decideAlert(mention())).toEqual({
      mentionId: 'demo:7',
      title: 'Urgent: @ana on Demo',
      body: "Refund · directed · negative — @acme I've been on hold for 2 hours and still no refund",
    })
  })

  it('stays quiet below the threshold, which defaults to URGENT_AT', () => {
    const calm = mention({ triage: { ...triage, urgency: URGENT_AT - 1 } })
    expect(decideAlert(calm)).toBeNull()
    expect(decideAlert(mention({ triage: { ...triage, urgency: URGENT_AT } }))).not.toBeNull()
    expect(decideAlert(calm, { threshold: 50 })).not.toBeNull()
    expect(decideAlert(mention(), { threshold: 90 })).toBeNull()
  })

  it('names the author the way the platform does, or by name', () => {
    const as = (author: Mention['author'], platform: Mention['platform'] = 'demo') =>
      decideAlert(mention({ author, platform }))?.title
    expect(as({ id: 'm', name: 'Ana', handle: '@ana@example.social' }, 'mastodon')).toBe(
      'Urgent: @ana@example.social on Mastodon',
    )
    expect(as({ id: 'r', name: 'ana', handle: 'u/ana' }, 'reddit')).toBe('Urgent: u/ana on Reddit')
    expect(as({ id: 'h', name: 'pg' }, 'hn')).toBe('Urgent: pg on Hacker News')
    expect(as({ id: 'x', name: ' ' })).toBe('Urgent: someone on Demo')
  })

  it('names a feed by its site', () => {
    const feed = mention({
      platform: 'rss',
      url: 'https://www.blog.example/post/1',
      author: { id: 'r', name: 'Priya' },
    })
    expect(decideAlert(feed)?.title).toBe('Urgent: Priya on blog.example')
    expect(decideAlert(mention({ platform: 'rss', url: null }))?.title).toBe('Urgent: @ana on RSS')
  })

  it('quotes a long post up to a word boundary, on one line, within the schema', () => {
    const text = `${'word '.repeat(80)}\n\nend`
    const alert = decideAlert(mention({ text }))
    expect(alert).not.toBeNull()
    const quote = alert?.body.split(' — ')[1] ?? ''
    expect(quote.endsWith('word…')).toBe(true)
    expect(quote.length).toBeLessThanOrEqual(140)
    expect(alert?.body).not.toContain('\n')
    expect(alertSchema.safeParse(alert).success).toBe(true)
  })

  it('falls back to the title when the post has no text', () => {
    const alert = decideAlert(mention({ text: '', title: 'Acme ate my data' }))
    expect(alert?.body).toBe('Refund · directed · negative — Acme ate my data')
  })

  it('keeps a very long author name within the title limit', () => {
    const alert = decideAlert(mention({ author: { id: 'x', name: 'N'.repeat(500) } }))
    expect(alert?.title.length).toBeLessThanOrEqual(200)
    expect(alertSchema.safeParse(alert).success).toBe(true)
  })
})

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('short', 10)).toBe('short')
  })

  it('never splits an emoji', () => {
    expect(truncate('ab😀😀😀😀', 4)).toBe('ab…')
    expect(truncate('ab😀😀😀😀', 5)).toBe('ab😀…')
  })
})
