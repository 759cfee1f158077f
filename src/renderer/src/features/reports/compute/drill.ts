/* The mentions behind a figure: the same rules that counted them, applied again to list them. */
import type { Mention } from '../../../../../shared/domain'
import { isConversation, leftOut } from './build'
import { communityOf, termClassifier } from './community'
import type { ReportRow } from './rows'
import type { DrillSpec, ReportState, ReportTerms } from './types'

export type DrillMatcher = (mention: Mention, state: ReportState | undefined) => boolean

/** A test for one figure's mentions: every key the spec gives must hold. */
export function drillMatcher(spec: DrillSpec, terms: ReportTerms): DrillMatcher {
  const ids = spec.ids ? new Set(spec.ids) : null
  const kindOf = termClassifier(terms)
  return (mention, state) => {
    if (mention.createdAt < spec.from || mention.createdAt >= spec.to || leftOut(state))
      return false
    if (ids && !ids.has(mention.id)) return false
    if (spec.sourceId !== undefined && mention.sourceId !== spec.sourceId) return false
    if (spec.sentiment !== undefined && mention.triage.sentiment.label !== spec.sentiment) {
      return false
    }
    if (spec.directed !== undefined && mention.triage.directed !== spec.directed) return false
    if (spec.conversation && !isConversation(mention)) return false
    if (spec.community !== undefined && communityOf(mention) !== spec.community) return false
    if (spec.termKind !== undefined || spec.term !== undefined) {
      const hit = mention.triage.matched.some(
        (name) =>
          (spec.term === undefined || name === spec.term) &&
          (spec.termKind === undefined || kindOf(name) === spec.termKind),
      )
      if (!hit) return false
    }
    return true
  }
}

/** The same test on a compact row (`rows.ts`): a drill-down then reads no mention at all. */
export function rowMatcher(spec: DrillSpec, terms: ReportTerms): (row: ReportRow) => boolean {
  const ids = spec.ids ? new Set(spec.ids) : null
  const kindOf = termClassifier(terms)
  return (row) => {
    if (row.createdAt < spec.from || row.createdAt >= spec.to || leftOut(row.state)) return false
    if (ids && !ids.has(row.id)) return false
    if (spec.sourceId !== undefined && row.sourceId !== spec.sourceId) return false
    if (spec.sentiment !== undefined && row.sentiment !== spec.sentiment) return false
    if (spec.directed !== undefined && row.directed !== spec.directed) return false
    if (spec.conversation && !row.directed) return false
    if (spec.community !== undefined && row.community !== spec.community) return false
    if (spec.termKind !== undefined || spec.term !== undefined) {
      const hit = row.matched.some(
        (name) =>
          (spec.term === undefined || name === spec.term) &&
          (spec.termKind === undefined || kindOf(name) === spec.termKind),
      )
      if (!hit) return false
    }
    return true
  }
}
