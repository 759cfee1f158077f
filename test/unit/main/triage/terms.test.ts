import { describe, expect, it } from 'vitest'
import { compileTerms, fold } from '../../../../src/main/triage/terms'
import type { BrandProfile } from '../../../../src/shared/domain'

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [
    { platform: 'x', handle: '@acme' },
    { platform: 'bluesky', handle: 'acme.bsky.social' },
    { platform: 'mastodon', handle: '@acmehq@mastodon.social' },
    { platform: 'reddit', handle: 'u/acme_official' },
  ],
  products: ['Acme Cloud', 'Rocket Skates'],
  competitors: ['Globex', 'Initech'],
  excluded: ['Acme Acres'],
}
const terms = compileTerms(profile)

describe('compileTerms', () => {
  it('finds the brand as a whole word, in any case', () => {
    expect(terms.find("ACME's new plan").matched).toEqual(['Acme'])
    expect(terms.find('acmetools and pacme are other things').matched).toEqual([])
  })

  it('folds diacritics and case on both sides', () => {
    const cafe = compileTerms({ ...profile, brand: 'Café Düsseldorf', products: [] })
    expect(cafe.find('lunch at CAFE DUSSELDORF').matched).toEqual(['Café Düsseldorf'])
    expect(fold('Crème Brûlée')).toBe('creme brulee')
  })

  it('folds accents in a post with emoji and curly quotes, and keeps the emoji', () => {
    expect(fold('“CAFÉ” 😡 — closed…')).toBe('“cafe” 😡 — closed…')
    expect(fold('Great 😀 “Acme” — thanks…')).toBe('great 😀 “acme” — thanks…')
    expect(
      compileTerms({ ...profile, brand: 'Café Düsseldorf' }).find('😡 café düsseldorf!').matched,
    ).toEqual(['Café Düsseldorf'])
  })

  it('matches a product as a phrase, hyphenated or as a hashtag, before the brand inside it', () => {
    expect(terms.find('the acme-cloud outage').matched).toEqual(['Acme Cloud'])
    expect(terms.find('#AcmeCloud is great').matched).toEqual(['Acme Cloud'])
    expect(terms.find('rocket   skates broke').products).toEqual(['Rocket Skates'])
  })

  it('tags competitors', () => {
    const hits = terms.find('Switching from Acme to Globex')
    expect(hits.competitors).toEqual(['Globex'])
    expect(hits.matched).toEqual(['Acme', 'Globex'])
    expect(hits.directed).toBe(false)
  })

  describe('handles', () => {
    it('without handles in the profile, @ the brand name still addresses it', () => {
      const bare = compileTerms({ ...profile, brand: 'Acme Cloud', handles: [] })
      expect(bare.find('@AcmeCloud my order is late').directed).toBe(true)
      expect(bare.find('acme cloud is slow today').directed).toBe(false)
      expect(bare.find('@acmecloudfan hi').directed).toBe(false)
    })

    it('@handle addresses the brand', () => {
      const hits = terms.find('@acme my order is late')
      expect(hits.directed).toBe(true)
      expect(hits.matched).toEqual(['@acme'])
    })

    it('a Bluesky handle addresses the brand with @, and is only talked about without', () => {
      expect(terms.find('hey @acme.bsky.social, help').directed).toBe(true)
      const quoted = terms.find('see acme.bsky.social for updates')
      expect(quoted.directed).toBe(false)
      expect(quoted.matched).toEqual(['@acme.bsky.social'])
    })

    it('a Mastodon handle with its server, or without it on the same server', () => {
      expect(terms.find('@acmehq@mastodon.social hi').directed).toBe(true)
      expect(terms.find('@acmehq hi').directed).toBe(true)
      expect(terms.find('@acmehq@other.example is someone else').directed).toBe(false)
    })

    it('a Reddit user as u/name or /u/name', () => {
      expect(terms.find('paging u/acme_official').directed).toBe(true)
      expect(terms.find('thanks /u/Acme_Official!').matched).toEqual(['u/acme_official'])
      expect(terms.find('r/u/acme_officially').directed).toBe(false)
    })

    it('is not fooled by e-mail addresses or longer handles', () => {
      expect(terms.find('write to support@acme.com').directed).toBe(false)
      expect(terms.find('@acme_fan says hi').directed).toBe(false)
      expect(terms.find('@acme.').directed).toBe(true)
    })
  })

  it('reports excluded words apart from matches', () => {
    const hits = terms.find('Holiday at Acme Acres')
    expect(hits.excluded).toEqual(['Acme Acres'])
    expect(hits.matched).toEqual([])
  })

  it('gives the words of its own names, which carry no feeling', () => {
    expect([...terms.nameWords].sort()).toEqual(
      ['acme', 'cloud', 'globex', 'initech', 'rocket', 'skates'].sort(),
    )
  })

  it('copes with a profile of names that are regex characters', () => {
    const odd = compileTerms({ ...profile, brand: 'C++ (Pro)', handles: [], products: [] })
    expect(odd.find('I love C++ (Pro) a lot').matched).toEqual(['C++ (Pro)'])
  })
})
