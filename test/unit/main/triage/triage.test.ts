import { describe, expect, it } from 'vitest'
import { createTriage, mentionText, triageText } from '../../../../src/main/triage/index'
import { URGENT_AT, type BrandProfile, type HeardMention } from '../../../../src/shared/domain'

const acme: BrandProfile = {
  brand: 'Acme',
  handles: [
    { platform: 'x', handle: '@acme' },
    { platform: 'bluesky', handle: 'acme.bsky.social' },
    { platform: 'mastodon', handle: '@acme@mastodon.social' },
    { platform: 'reddit', handle: 'u/acme' },
  ],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: [],
}

const triage = (text: string) => triageText(text, acme)
const codes = (text: string) => triage(text).reasons.map((r) => r.code)

describe('triageText', () => {
  it('makes a directed angry complaint about a refund urgent, and says why', () => {
    const result = triage('@acme I was charged twice and still no refund, this is the worst')
    expect(result.sentiment.label).toBe('negative')
    expect(result.directed).toBe(true)
    expect(result.urgency).toBeGreaterThanOrEqual(URGENT_AT)
    expect(result.reasons.map((r) => r.label)).toEqual(
      expect.arrayContaining(['directed', 'very negative', 'refund', 'billing']),
    )
    expect(result.matched).toEqual(['@acme'])
  })

  it('keeps praise calm', () => {
    const result = triage('Loving the new Acme dashboard ❤️')
    expect(result.sentiment.label).toBe('positive')
    expect(result.urgency).toBeLessThan(URGENT_AT)
    expect(result.urgency).toBe(0)
    expect(triage('@acme thank you, the support team was amazing!').urgency).toBe(0)
  })

  // Decision: crisis words (legal, safety, health, security, fraud) are pushed high on their own:
  // 60 for the word, over the line once the post is negative or addressed to the brand. PR and
  // security must see "hacked" today even when the customer only talked about the brand.
  it('makes an overheard security scare urgent', () => {
    const result = triage("Acme's app got hacked? my data breach notice just arrived")
    expect(result.directed).toBe(false)
    expect(codes("Acme's app got hacked? my data breach notice just arrived")).toContain(
      'crisis:security',
    )
    expect(result.urgency).toBeGreaterThanOrEqual(URGENT_AT)
  })

  it('treats a calm mention of a crisis word as high but not urgent', () => {
    const result = triage('Acme is hiring a lawyer for the Berlin office')
    expect(codes('Acme is hiring a lawyer for the Berlin office')).toEqual(['crisis:legal'])
    expect(result.urgency).toBeLessThan(URGENT_AT)
  })

  it('leaves a neutral overheard mention far from urgent', () => {
    const result = triage('Saw an Acme billboard on the way to work')
    expect(result).toMatchObject({ directed: false, urgency: 0, reasons: [], matched: ['Acme'] })
    expect(result.sentiment.label).toBe('neutral')
  })

  it('reads "not bad at all" as not negative', () => {
    expect(triage('Acme support? not bad at all').sentiment.label).not.toBe('negative')
  })

  it('tags a competitor', () => {
    const result = triage('Thinking of switching from Acme to Globex')
    expect(result.matched).toEqual(['Acme', 'Globex'])
    expect(result.reasons.map((r) => r.label)).toEqual(['may leave', 'mentions Globex'])
  })

  it('hears every form of the brand handles as directed', () => {
    for (const text of [
      '@acme where is my parcel?',
      '@acme.bsky.social where is my parcel?',
      '@acme@mastodon.social where is my parcel?',
      'u/acme where is my parcel?',
    ]) {
      const result = triage(text)
      expect(result.directed, text).toBe(true)
      expect(codes(text), text).toEqual(expect.arrayContaining(['directed', 'question']))
    }
    expect(triage('where is my Acme parcel?').directed).toBe(false)
  })

  it('does not mistake names and hacker talk for crises, or "no complaints" for one', () => {
    expect(codes('@acme Sue from support was great')).not.toContain('crisis:legal')
    expect(codes('I hacked together a script with the Acme API')).not.toContain('crisis:security')
    expect(codes('no complaints about Acme so far')).toEqual(['praise'])
  })

  it('keeps complaint cues when negated where they still mean trouble', () => {
    expect(codes('@acme no refund yet')).toContain('complaint:refund')
    expect(codes('my Acme Cloud app was not broken after all')).not.toContain('complaint:broken')
  })

  it('hears outages, lockouts, data loss, injuries and leaks in everyday words', () => {
    expect(codes('Is Acme down for everyone or just me?')).toContain('complaint:outage')
    expect(codes('@acme still locked out of my account')).toContain('complaint:broken')
    expect(codes('the Acme update wiped my notes')).toContain('complaint:missing')
    const burn = triage('My Acme heater got so hot my son burned his fingers')
    expect(burn.reasons.map((r) => r.code)).toContain('crisis:safety')
    expect(burn.urgency).toBeGreaterThanOrEqual(URGENT_AT)
    expect(codes('Reports say Acme leaked customer emails')).toContain('crisis:security')
    expect(codes('URGENT @acme none of our staff can log in')).toContain('complaint:urgent')
  })

  it('works without a brand profile: nothing is directed or matched', () => {
    const result = triageText('@acme refund me now, worst service ever', null)
    expect(result.directed).toBe(false)
    expect(result.matched).toEqual([])
    expect(result.sentiment.label).toBe('negative')
  })

  it('fits the shared triage schema limits on long posts', () => {
    const long = Array.from({ length: 200 }, (_, k) => `worst${k % 2 ? ' awful' : ''} refund`).join(
      ' ',
    )
    const result = triage(long)
    expect(result.sentiment.words.length).toBeLessThanOrEqual(40)
    expect(result.reasons.length).toBeLessThanOrEqual(24)
    expect(Number.isInteger(result.urgency)).toBe(true)
  })
})

const heard = (over: Partial<HeardMention> = {}): HeardMention => ({
  id: 'demo:1',
  sourceId: 'demo',
  platform: 'demo',
  url: null,
  author: { id: 'demo:ana', name: 'Ana', handle: 'ana' },
  text: '@acme my order never arrived and nobody answers',
  createdAt: 1_000_000,
  fetchedAt: 1_000_500,
  ...over,
})

describe('createTriage', () => {
  it('adds triage to a heard mention, keeping everything else', () => {
    const mention = createTriage(() => acme).score(heard(), 1_000_500)
    expect(mention).toMatchObject(heard())
    expect(mention.triage.directed).toBe(true)
    expect(mention.triage.sentiment.label).toBe('negative')
  })

  it('reads the current profile on every call', () => {
    let profile: BrandProfile | null = null
    const service = createTriage(() => profile)
    expect(service.score(heard(), 1_000_500).triage.directed).toBe(false)
    profile = acme
    expect(service.score(heard(), 1_000_500).triage.directed).toBe(true)
    profile = { ...acme, handles: [{ platform: 'x', handle: '@acme_support' }] }
    expect(service.score(heard(), 1_000_500).triage.directed).toBe(false)
  })

  it('uses the author’s reach and the post’s age', () => {
    const service = createTriage(() => acme)
    const author = { id: 'x:big', name: 'Big', followers: 52_000 }
    const reasons = service.score(heard({ author }), 1_000_500).triage.reasons
    expect(reasons).toContainEqual({ code: 'reach', label: '52k followers', points: 14 })
    const old = service.score(heard(), 1_000_000 + 10 * 24 * 3600_000).triage.reasons
    expect(old).toContainEqual({ code: 'stale', label: '10 days old', points: -20 })
  })

  it("sets the brand's own posts apart: never directed, never urgent, whatever they say", () => {
    const service = createTriage(() => acme)
    const reply = heard({
      platform: 'mastodon',
      author: { id: 'mastodon:1', name: 'Acme', handle: 'acme@mastodon.social' },
      text: '@ana so sorry your order never arrived, we are on it. A lawyer is not needed! @acme',
      addressed: true,
    })
    const own = service.score(reply, 1_000_500).triage
    expect(own).toMatchObject({ own: true, directed: false, urgency: 0, intent: 'other' })
    expect(own.reasons).toEqual([{ code: 'own', label: "the brand's own post", points: 0 }])
    // The same words from a customer's account, or from another server's "acme", are a mention.
    const customer = { ...reply, author: { id: 'mastodon:2', name: 'Ana', handle: 'ana@x.social' } }
    expect(service.score(customer, 1_000_500).triage).toMatchObject({ directed: true })
    expect(service.score(customer, 1_000_500).triage.own).toBeUndefined()
    const namesake = { ...reply, author: { ...reply.author, handle: 'acme@evil.example' } }
    expect(service.score(namesake, 1_000_500).triage.own).toBeUndefined()
  })

  it('reads the title too, unless the text already starts with it', () => {
    expect(mentionText({ title: 'Acme lost my data', text: 'Long story.' })).toBe(
      'Acme lost my data\nLong story.',
    )
    expect(mentionText({ title: 'Acme lost', text: 'Acme lost my data' })).toBe('Acme lost my data')
    expect(mentionText({ text: 'just text' })).toBe('just text')
  })
})
