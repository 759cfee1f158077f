/* Finds the brand, its handles, products and competitors in a post, and whether it addresses a handle. */
import type { BrandProfile, HandlePlatform } from '../../shared/domain'
import { fold } from '../../shared/text'

export { fold }

export type TermKind = 'brand' | 'handle' | 'product' | 'competitor' | 'excluded'

export type TermHits = {
  /** Names found, as the profile spells them (handles as addressed, e.g. `@acme`), deduplicated. */
  matched: string[]
  /** The post @-mentions one of the brand's handles (or `u/name` on Reddit). */
  directed: boolean
  brand: boolean
  products: string[]
  competitors: string[]
  /** Excluded words found; the query that feeds a source decides what to do with them. */
  excluded: string[]
}

export type TermMatcher = {
  find(text: string): TermHits
  /** Lower-case words of the profile's own names, which say nothing about feeling. */
  nameWords: ReadonlySet<string>
}

type Term = { kind: TermKind; display: string; addressed: boolean }

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// A name is a whole word: no letter, digit or underscore right before or after it.
const before = '(?<![\\p{L}\\p{N}_])'
const after = '(?![\\p{L}\\p{N}_])'
// A handle ends where the next character cannot continue it ("@acme." ends a sentence; "@acme.co"
// is someone else), and never starts inside an e-mail address or a URL path.
const handleBefore = '(?<![\\p{L}\\p{N}_@./])'
const handleAfter = '(?![\\p{L}\\p{N}_-]|[.@][\\p{L}\\p{N}])'

/** The written forms of one configured handle, as regex sources with whether they address it. */
function handleForms(
  platform: HandlePlatform,
  raw: string,
): { source: string; display: string; addressed: boolean }[] {
  const handle = fold(raw.trim()).replace(/^(?:\/?u\/|@)/, '')
  if (platform === 'reddit') {
    const name = escape(handle)
    return [
      {
        source: `(?<![\\p{L}\\p{N}_/])/?u/${name}${after}`,
        display: `u/${handle}`,
        addressed: true,
      },
    ]
  }
  if (platform === 'mastodon' && handle.includes('@')) {
    // On its own server a Mastodon account is written without the domain.
    const local = handle.slice(0, handle.indexOf('@'))
    return [
      {
        source: `${handleBefore}@${escape(handle)}${handleAfter}`,
        display: `@${handle}`,
        addressed: true,
      },
      {
        source: `${handleBefore}@${escape(local)}${handleAfter}`,
        display: `@${handle}`,
        addressed: true,
      },
    ]
  }
  const forms = [
    {
      source: `${handleBefore}@${escape(handle)}${handleAfter}`,
      display: `@${handle}`,
      addressed: true,
    },
  ]
  // A Bluesky handle is a domain; written without `@` it is talked about, not addressed.
  if (handle.includes('.')) {
    forms.push({
      source: `${handleBefore}${escape(handle)}${handleAfter}`,
      display: `@${handle}`,
      addressed: false,
    })
  }
  return forms
}

/** Compiles the profile into one regex; reuse the result for every post (see `createTriage`). */
export function compileTerms(profile: BrandProfile): TermMatcher {
  const sources: string[] = []
  const terms: Term[] = []
  const add = (source: string, term: Term) => {
    sources.push(`(${source})`)
    terms.push(term)
  }
  const nameWords = new Set<string>()
  const names: { kind: TermKind; display: string; folded: string }[] = []
  const addName = (kind: TermKind, name: string) => {
    const folded = fold(name.trim())
    if (folded !== '') names.push({ kind, display: name.trim(), folded })
  }

  // Handles first: at one position the earliest alternative wins, and `@acme` is more than `acme`.
  // A profile without handles still knows the brand's likely one: "@Acme Cloud" is "@acmecloud".
  const handles =
    profile.handles.length > 0
      ? profile.handles
      : [
          {
            platform: 'other' as const,
            handle: `@${profile.brand.replace(/[^\p{L}\p{N}_]+/gu, '')}`,
          },
        ]
  for (const { platform, handle } of handles) {
    if (handle === '@') continue
    for (const form of handleForms(platform, handle)) add(form.source, { kind: 'handle', ...form })
  }
  addName('brand', profile.brand)
  for (const name of profile.products) addName('product', name)
  for (const name of profile.competitors) addName('competitor', name)
  for (const name of profile.excluded) addName('excluded', name)
  // Longest names first, so "Acme Cloud" wins over "Acme" where both start.
  names.sort((a, b) => b.folded.length - a.folded.length)
  for (const { kind, display, folded } of names) {
    // "Acme Cloud" also matches "acme-cloud", "acme_cloud" and the hashtag "#AcmeCloud".
    const pattern = folded
      .split(/[\s_-]+/)
      .map(escape)
      .join('[\\s_-]*')
    add(`${before}${pattern}${after}`, { kind, display, addressed: false })
    if (kind === 'excluded') continue
    for (const word of folded.split(/[^\p{L}\p{N}']+/u)) if (word) nameWords.add(word)
  }

  // With nothing to look for, match nothing (an empty regex would match everywhere, forever).
  const pattern = new RegExp(sources.length > 0 ? sources.join('|') : '(?!)', 'gu')

  return {
    nameWords,
    find(text) {
      const hits: TermHits = {
        matched: [],
        directed: false,
        brand: false,
        products: [],
        competitors: [],
        excluded: [],
      }
      const folded = fold(text)
      pattern.lastIndex = 0
      let match: RegExpExecArray | null
      while ((match = pattern.exec(folded)) !== null) {
        // The first group that took part tells which term this is.
        let index = 1
        while (index < match.length && match[index] === undefined) index++
        const term = terms[index - 1]
        if (!term) continue
        if (term.addressed) hits.directed = true
        if (term.kind === 'brand') hits.brand = true
        const list =
          term.kind === 'product'
            ? hits.products
            : term.kind === 'competitor'
              ? hits.competitors
              : term.kind === 'excluded'
                ? hits.excluded
                : null
        if (list && !list.includes(term.display)) list.push(term.display)
        if (
          term.kind !== 'excluded' &&
          !hits.matched.includes(term.display) &&
          hits.matched.length < 40
        ) {
          hits.matched.push(term.display)
        }
      }
      return hits
    },
  }
}
