import { describe, expect, it } from 'vitest'
import { mentionAlert } from '../../../../src/main/alerts/notify-policy'
import { truncate } from '../../../../src/main/alerts/policy'
import { alertSchema, type Mention, type Triage } from '../../../../src/shared/domain'

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

describe('mentionAlert', () => {
  it('says who, where and why in one line, and quotes the post, pointing at the mention', () => {
    expect(mentionAlert(mention())).toEqual({
      kind: 'mention',
      mentionId: 'demo:7',
      title: '@ana on Demo: refund, directed, negative',
      body: "‘@acme I've been on hold for 2 hours and still no refund’",
    })
  })

  it('names the author the way the platform does, or by name', () => {
    const as = (author: Mention['author'], platform: Mention['platform'] = 'demo') =>
      mentionAlert(mention({ author, platform })).title.split(':')[0]
    expect(as({ id: 'm', name: 'Ana', handle: '@ana@example.social' }, 'mastodon')).toBe(
      '@ana@example.social on Mastodon',
    )
    expect(as({ id: 'r', name: 'ana', handle: 'u/ana' }, 'reddit')).toBe('u/ana on Reddit')
    expect(as({ id: 'h', name: 'pg' }, 'hn')).toBe('pg on Hacker News')
    expect(as({ id: 'x', name: ' ' })).toBe('someone on Demo')
  })

  it('names a feed by its site', () => {
    const feed = mention({
      platform: 'rss',
      url: 'https://www.blog.example/post/1',
      author: { id: 'r', name: 'Priya' },
    })
    expect(mentionAlert(feed).title).toMatch(/^Priya on blog\.example:/)
    expect(mentionAlert(mention({ platform: 'rss', url: null })).title).toMatch(/^@ana on RSS:/)
  })

  it('quotes a long post up to a word boundary, on one line, within the schema', () => {
    const text = `${'word '.repeat(80)}\n\nend`
    const alert = mentionAlert(mention({ text }))
    expect(alert.body.endsWith('word…’')).toBe(true)
    expect(alert.body.length).toBeLessThanOrEqual(122)
    expect(alert.body).not.toContain('\n')
    expect(alertSchema.safeParse(alert).success).toBe(true)
  })

  it('falls back to the title when the post has no text', () => {
    expect(mentionAlert(mention({ text: '', title: 'Acme ate my data' })).body).toBe(
      '‘Acme ate my data’',
    )
  })

  it('keeps a very long author name within the title limit', () => {
    const alert = mentionAlert(mention({ author: { id: 'x', name: 'N'.repeat(500) } }))
    expect(alert.title.length).toBeLessThanOrEqual(200)
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
