import { describe, expect, it } from 'vitest'
import {
  countedReply,
  countLength,
  DEFAULT_TEMPLATES,
  fillTemplate,
  templateListSchema,
  templateVariables,
} from '../../../src/shared/templates'

const byName = (name: string) => {
  const found = DEFAULT_TEMPLATES.find((t) => t.name === name)
  if (!found) throw new Error(`no template ${name}`)
  return found
}

describe('the seeded templates', () => {
  it('are the five answers every responder needs, and valid', () => {
    expect(DEFAULT_TEMPLATES.map((t) => t.name)).toEqual([
      'Thank you',
      'We hear you',
      'Can we call you?',
      "We've passed this to our customer service team",
      "We've shared your idea with our product team",
    ])
    expect(templateListSchema.safeParse(DEFAULT_TEMPLATES).success).toBe(true)
    // Every custom variable a body uses is declared as a field.
    for (const template of DEFAULT_TEMPLATES) {
      const declared = template.fields.map((f) => f.name)
      const custom = templateVariables(template.body).filter((v) => v !== 'author' && v !== 'brand')
      expect(custom.sort(), template.name).toEqual([...declared].sort())
    }
  })

  it('refuses two templates with one id', () => {
    const twice = [DEFAULT_TEMPLATES[0], { ...DEFAULT_TEMPLATES[1], id: DEFAULT_TEMPLATES[0]!.id }]
    const parsed = templateListSchema.safeParse(twice)
    expect(parsed.success).toBe(false)
  })
})

describe('fillTemplate', () => {
  it('fills built-ins and fields, and says which required field is still empty', () => {
    const template = byName('We hear you')
    const empty = fillTemplate(template, { author: 'Erin', brand: 'Acme' })
    expect(empty.missing).toEqual(['What went wrong, in their words'])
    const blank = fillTemplate(template, { author: 'Erin', brand: 'Acme', issue: '   ' })
    expect(blank.missing).toEqual(['What went wrong, in their words'])
    const filled = fillTemplate(template, { author: 'Erin', brand: 'Acme', issue: 'the outage' })
    expect(filled.missing).toEqual([])
    expect(filled.text).toBe(
      "Erin, we hear you, and we're sorry about the outage. We're looking into it now and will update you here.",
    )
  })

  it('treats a required field as required even when the body does not use it', () => {
    const result = fillTemplate(
      { body: 'Thanks!', fields: [{ name: 'case', label: 'Case number', required: true }] },
      {},
    )
    expect(result).toEqual({ text: 'Thanks!', missing: ['Case number'] })
  })

  it('drops an empty optional field without leaving a gap, and flags an undeclared variable', () => {
    const optional = fillTemplate(
      {
        body: 'Hello {{author}} {{note}}, see you.',
        fields: [{ name: 'note', label: 'Note', required: false }],
      },
      { author: 'Ana' },
    )
    expect(optional).toEqual({ text: 'Hello Ana, see you.', missing: [] })
    const undeclared = fillTemplate({ body: 'Hi {{author}}, {{brand}} here', fields: [] }, {})
    expect(undeclared.missing).toEqual(['author', 'brand'])
  })

  it('fills every occurrence, tolerates spaces inside the braces, and never re-expands values', () => {
    const result = fillTemplate(
      { body: '{{ author }} / {{author}}', fields: [] },
      { author: '{{brand}}', brand: 'Acme' },
    )
    expect(result.text).toBe('{{brand}} / {{brand}}')
  })
})

describe('countLength', () => {
  it('counts Bluesky in graphemes: a family emoji or a flag is one', () => {
    expect(countLength('👨‍👩‍👧‍👦', 'bluesky')).toEqual({ length: 1, limit: 300, fits: true })
    expect(countLength('🇫🇷🇩🇪', 'bluesky').length).toBe(2)
    expect(countLength('é', 'bluesky').length).toBe(1) // e + combining accent
    expect(countLength('a'.repeat(300), 'bluesky').fits).toBe(true)
    expect(countLength('a'.repeat(299) + '👍🏽', 'bluesky')).toEqual({
      length: 300,
      limit: 300,
      fits: true,
    })
    expect(countLength('a'.repeat(301), 'bluesky').fits).toBe(false)
  })

  it('counts Mastodon links as 23 and mentions by their username, against the instance limit', () => {
    const long = `https://example.com/${'x'.repeat(200)}`
    expect(countLength(long, 'mastodon').length).toBe(23)
    expect(countLength(`see ${long} now`, 'mastodon').length).toBe(4 + 23 + 4)
    expect(countLength('http://a.b', 'mastodon').length).toBe(23)
    expect(countLength('@erin@other.example hi', 'mastodon').length).toBe('@erin hi'.length)
    expect(countLength('mail me: ana@example.com', 'mastodon').length).toBe(24)
    expect(countLength('🏳️‍🌈'.repeat(500), 'mastodon')).toEqual({
      length: 500,
      limit: 500,
      fits: true,
    })
    expect(countLength('x'.repeat(501), 'mastodon').fits).toBe(false)
    expect(countLength('x'.repeat(501), 'mastodon', 1000)).toEqual({
      length: 501,
      limit: 1000,
      fits: true,
    })
  })

  it('counts Reddit in characters up to 10,000, and gives no limit where there is no reply', () => {
    expect(countLength('x'.repeat(10_000), 'reddit').fits).toBe(true)
    expect(countLength('x'.repeat(10_001), 'reddit').fits).toBe(false)
    expect(countLength('x'.repeat(20_000), 'hn')).toEqual({
      length: 20_000,
      limit: null,
      fits: true,
    })
  })
})

describe('countedReply', () => {
  it('counts the author Mastodon will name in front of a reply that does not name them', () => {
    expect(countedReply('Thanks!', 'mastodon', '@erin@other.example')).toBe(
      '@erin@other.example Thanks!',
    )
    expect(
      countLength(countedReply('Thanks!', 'mastodon', '@erin@other.example'), 'mastodon'),
    ).toMatchObject({ length: '@erin Thanks!'.length })
    expect(countedReply('@erin thanks!', 'mastodon', '@erin@other.example')).toBe('@erin thanks!')
    expect(countedReply('@erinna hi', 'mastodon', '@erin')).toBe('@erin @erinna hi')
    expect(countedReply('Thanks!', 'bluesky', '@erin.bsky.social')).toBe('Thanks!')
  })
})
