import type { BrandProfile, HeardMention } from '../../shared/domain'
import { compileTerms, type TermMatcher } from '../triage/terms'

/**
 * The brand profile's query, applied in main to every mention whatever its source: a source
 * never lets through what the responder excluded (e.g. "acme anvils" for a software brand).
 */
export function createQueryFilter(getProfile: () => BrandProfile | null) {
  let compiledFor: BrandProfile | null = null
  let matcher: TermMatcher | null = null
  return (heard: HeardMention): boolean => {
    const profile = getProfile()
    if (!profile || profile.excluded.length === 0) return true
    if (profile !== compiledFor) {
      compiledFor = profile
      matcher = compileTerms(profile)
    }
    const text = heard.title ? `${heard.title}\n${heard.text}` : heard.text
    return matcher?.find(text).excluded.length === 0
  }
}
