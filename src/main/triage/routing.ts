/* Routing rules: which department a scored mention goes to, and what else its rules ask for. Pure. */
import type { Mention, Platform, Reason, Route, Triage } from '../../shared/domain'
import type { RoutingRule } from '../../shared/routing'
import { cueWords } from './cues'

/** What the rules read of a mention. */
export type RoutableMention = {
  /** Title and text, as triage read them. */
  text: string
  triage: Triage
  /** Unknown for a row from a file (the CLI): then no source condition holds. */
  platform?: Platform | undefined
  sourceId?: string | undefined
}

export type RouteOutcome = {
  /** Absent when no rule fired. */
  route?: Route
  /** The urgency a rule set, with its reason chip; absent when none did. */
  urgency?: { value: number; reason: Reason }
}

type CompiledRule = {
  rule: RoutingRule
  /** Any of the rule's words, on folded text; null when the rule has no word condition. */
  words: WordMatcher | null
}

/** Lower case, accents dropped, curly apostrophes straight, so "Café" finds "cafe". */
export function foldText(text: string): string {
  // Most posts are ASCII: skip the Unicode work for them.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase()
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[’‘ʼ]/g, "'").toLowerCase()
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const wordChar = /[\p{L}\p{N}_]/u
const asciiWordChar = /[A-Za-z0-9_]/
const isWordChar = (char: string | undefined) => char !== undefined && wordChar.test(char)

/** Finds any of a rule's words or phrases, as whole words, in folded text. */
export type WordMatcher = { test(folded: string): boolean }

/**
 * A matcher for "any of these words or phrases, as whole words", or null for none. One regex finds
 * candidates fast with ASCII `\b` edges; each is then checked against Unicode letters on both
 * sides, so "lawyer" is not found in "lawyerß" nor in "Лawyer"-like mixes, and "sue" never in
 * "issue".
 */
export function compileWords(words: readonly string[]): WordMatcher | null {
  const terms = [...new Set(words.map((word) => foldText(word.trim())).filter((w) => w !== ''))]
    // Longest first, so "data breach" is preferred over "data" where both are given.
    .sort((a, b) => b.length - a.length)
  if (terms.length === 0) return null
  const alternatives = terms.map((term) => {
    const body = term.split(/\s+/).map(escape).join('\\s+')
    const before = asciiWordChar.test(term[0] ?? '') ? '\\b' : ''
    const after = asciiWordChar.test(term.at(-1) ?? '') ? '\\b' : ''
    return `${before}${body}${after}`
  })
  const pattern = new RegExp(alternatives.join('|'), 'gu')
  return {
    test(folded) {
      pattern.lastIndex = 0
      for (let found = pattern.exec(folded); found; found = pattern.exec(folded)) {
        const start = found.index
        const end = start + found[0].length
        const wordStart = isWordChar(found[0][0])
        const wordEnd = isWordChar(found[0].at(-1))
        if (
          (!wordStart || !isWordChar(folded[start - 1])) &&
          (!wordEnd || !isWordChar(folded[end]))
        ) {
          return true
        }
        pattern.lastIndex = start + 1
      }
      return false
    },
  }
}

// Rule sets are replaced, never mutated, so the array itself is the cache key.
const compiled = new WeakMap<readonly RoutingRule[], readonly CompiledRule[]>()

function compile(rules: readonly RoutingRule[]): readonly CompiledRule[] {
  let found = compiled.get(rules)
  if (!found) {
    found = rules
      .filter((rule) => rule.enabled)
      .map((rule) => ({ rule, words: compileWords(rule.conditions.words ?? []) }))
    compiled.set(rules, found)
  }
  return found
}

const given = <T>(list: readonly T[] | undefined): list is readonly T[] =>
  list !== undefined && list.length > 0

function matches(
  { rule, words }: CompiledRule,
  mention: RoutableMention,
  urgency: number,
  folded: () => string,
): boolean {
  const c = rule.conditions
  const triage = mention.triage
  if (given(c.intent) && !c.intent.includes(triage.intent ?? 'other')) return false
  if (given(c.sentiment) && !c.sentiment.includes(triage.sentiment.label)) return false
  if (c.directed !== undefined && c.directed !== triage.directed) return false
  if (c.urgencyAtLeast !== undefined && urgency < c.urgencyAtLeast) return false
  if (
    given(c.sources) &&
    !c.sources.some((s) => s === mention.platform || s === mention.sourceId)
  ) {
    return false
  }
  // Last: the only condition that reads the text.
  return words === null || words.test(folded())
}

/**
 * Runs the enabled rules in order. Every rule whose conditions all hold fires: the first to name
 * a department, an urgency or a template wins it, departments add up in order, monitor-only and
 * notify hold once any rule asks, and a rule with `stopAfter` ends the run.
 */
export function routeMention(
  mention: RoutableMention,
  rules: readonly RoutingRule[],
): RouteOutcome {
  // The brand's own posts are nobody's work: no rule routes, flags or notifies them.
  if (mention.triage.own) return {}
  let urgency = mention.triage.urgency
  let folded: string | undefined
  const text = () => (folded ??= foldText(mention.text))
  const fired: string[] = []
  const departments: string[] = []
  let set: { value: number; rule: string } | undefined
  let template: string | undefined
  let monitorOnly = false
  let notify = false
  for (const entry of compile(rules)) {
    if (!matches(entry, mention, urgency, text)) continue
    const { rule } = entry
    const { actions } = rule
    fired.push(rule.name)
    for (const id of [actions.department, ...(actions.alsoTo ?? [])]) {
      if (id !== undefined && !departments.includes(id)) departments.push(id)
    }
    if (actions.setUrgency !== undefined && set === undefined) {
      set = { value: actions.setUrgency, rule: rule.name }
      urgency = actions.setUrgency
    }
    template ??= actions.template
    monitorOnly ||= actions.monitorOnly === true
    notify ||= actions.notify === true
    if (rule.stopAfter) break
  }
  if (fired.length === 0) return {}
  const route: Route = {
    ...(departments[0] !== undefined ? { department: departments[0] } : {}),
    ...(departments.length > 1 ? { departments } : {}),
    ...(monitorOnly ? { monitorOnly } : {}),
    ...(notify ? { notify } : {}),
    ...(template !== undefined ? { template } : {}),
    rules: fired.slice(0, 100),
  }
  if (!set) return { route }
  const reason: Reason = {
    code: `rule:${set.rule}`.slice(0, 80),
    label: `Rule: ${set.rule}`.slice(0, 120),
    points: set.value - mention.triage.urgency,
  }
  return { route, urgency: { value: set.value, reason } }
}

/** The triage with its route, and the urgency a rule set (its chip first among the reasons). */
export function routedTriage(triage: Triage, outcome: RouteOutcome): Triage {
  if (!outcome.route) return triage
  const routed: Triage = { ...triage, route: outcome.route }
  if (outcome.urgency) {
    routed.urgency = outcome.urgency.value
    routed.reasons = [outcome.urgency.reason, ...triage.reasons].slice(0, 24)
  }
  return routed
}

/** The mention as the rules route it; `text` is what triage read (title and text). */
export function applyRouting(
  mention: Mention,
  text: string,
  rules: readonly RoutingRule[],
): Mention {
  if (rules.length === 0) return mention
  const outcome = routeMention({ ...mention, text }, rules)
  return outcome.route ? { ...mention, triage: routedTriage(mention.triage, outcome) } : mention
}

/** The crisis cue groups the default "Crisis words" rule listens for. */
const CRISIS_GROUPS = ['legal', 'safety', 'health', 'security']

/**
 * The rules a new install starts with, from what social care teams do by hand: crisis words go
 * to PR and the executives at once (and stop there), complaints to customer service, ideas to
 * product, and praise is answered with thanks.
 */
export function defaultRules(): RoutingRule[] {
  return [
    {
      id: 'crisis-words',
      name: 'Crisis words',
      enabled: true,
      conditions: { words: cueWords(CRISIS_GROUPS) },
      actions: { department: 'pr', alsoTo: ['executives'], notify: true },
      stopAfter: true,
    },
    {
      id: 'complaints',
      name: 'Complaints',
      enabled: true,
      conditions: { intent: ['complaint'] },
      actions: { department: 'customer-service' },
    },
    {
      id: 'ideas',
      name: 'Ideas',
      enabled: true,
      conditions: { intent: ['idea'] },
      actions: { department: 'product' },
    },
    {
      id: 'praise',
      name: 'Praise',
      enabled: true,
      conditions: { intent: ['praise'] },
      actions: { template: 'Thank you' },
    },
  ]
}
