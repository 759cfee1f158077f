/* The brand profile as Hacker News searches. Shared so the sources screen can show the responder
   exactly what main will ask Algolia for. */
import type { BrandProfile } from './domain'

/** Searches per poll at most: each one is a request against HN's 10,000-an-hour budget. */
export const HN_MAX_QUERIES = 6

const words = (term: string): string[] =>
  term
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')

/**
 * The Algolia searches for a source: its own query when it has one, otherwise the brand and each
 * product, one search each.
 *
 * Algolia ANDs the words of a query, so "Acme Road Runner" would only find posts naming all
 * three. `optionalWords` turns that into OR, but word by word: a product "Road Runner" would then
 * match every post that says "road". One search per name, with multi-word names quoted as phrases
 * (HN's API turns on `advancedSyntax`), finds each name exactly. A product that already contains
 * the brand's words ("Acme Cloud") is found by the brand search, so it costs no request of its own.
 */
export function hnQueries(profile: BrandProfile | null, override?: string): string[] {
  const own = override?.trim()
  if (own) return [own]
  if (!profile) return []
  const brandWords = words(profile.brand)
  const queries: string[] = []
  const taken = new Set<string>()
  profile.products.forEach((product) => {
    const productWords = words(product)
    if (productWords.length > 0 && brandWords.every((word) => productWords.includes(word))) return
    add(product)
  })
  // The brand goes first so that a long product list never crowds it out.
  return [phrase(profile.brand), ...queries].filter((q) => q !== '').slice(0, HN_MAX_QUERIES)

  function add(term: string) {
    const key = words(term).join(' ')
    if (key === '' || key === brandWords.join(' ') || taken.has(key)) return
    taken.add(key)
    queries.push(phrase(term))
  }
}

/** A name as one Algolia term: quotes and a leading minus would change what the search means. */
function phrase(term: string): string {
  const clean = term
    .replace(/["]/g, ' ')
    .replace(/^[\s-]+/, '')
    .replace(/\s+/g, ' ')
    .trim()
  return clean.includes(' ') ? `"${clean}"` : clean
}

/** The searches in words for the responder, e.g. `Acme or "Road Runner"`. */
export function describeHnQueries(queries: readonly string[]): string {
  return queries.join(' or ')
}
