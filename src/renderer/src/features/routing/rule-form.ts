/* The routing editor's logic, apart from React: drafts, checks in words, summaries, reordering. */
import type { Intent, Route, SentimentLabel, SourceView } from '../../../../shared/domain'
import { intentSchema, sentimentLabelSchema } from '../../../../shared/domain'
import {
  MAX_FOLLOW_UP_HOURS,
  departmentSchema,
  rulesUsing,
  type Department,
  type RoutingRule,
  type RoutingSettings,
} from '../../../../shared/routing'

export const INTENTS: readonly Intent[] = intentSchema.options
export const SENTIMENTS: readonly SentimentLabel[] = sentimentLabelSchema.options

/** Templates every responder starts with; a rule may name any other. */
export const SUGGESTED_TEMPLATES = [
  'Thank you',
  'We hear you',
  'Can we call you?',
  "We've passed this to our customer service team",
  "We've shared your idea with our product team",
]

/** The rule form as typed: text stays text until it is checked. */
export type RuleDraft = {
  name: string
  enabled: boolean
  intent: Intent[]
  sentiment: SentimentLabel[]
  /** Words or phrases, separated by commas or new lines. */
  words: string
  sources: string[]
  urgencyAtLeast: string
  directed: 'any' | 'directed' | 'overheard'
  /** A department id, or '' for none. */
  department: string
  alsoTo: string[]
  setUrgency: string
  monitorOnly: boolean
  notify: boolean
  template: string
  stopAfter: boolean
}

export type RuleField = keyof RuleDraft | 'actions'
export type FormErrors<F extends string> = Partial<Record<F, string>>
export type Checked<T, F extends string> =
  { ok: true; value: T } | { ok: false; errors: FormErrors<F> }

export const emptyRuleDraft = (): RuleDraft => ({
  name: '',
  enabled: true,
  intent: [],
  sentiment: [],
  words: '',
  sources: [],
  urgencyAtLeast: '',
  directed: 'any',
  department: '',
  alsoTo: [],
  setUrgency: '',
  monitorOnly: false,
  notify: false,
  template: '',
  stopAfter: false,
})

export function draftFromRule(rule: RoutingRule): RuleDraft {
  const { conditions: c, actions: a } = rule
  return {
    name: rule.name,
    enabled: rule.enabled,
    intent: [...(c.intent ?? [])],
    sentiment: [...(c.sentiment ?? [])],
    words: (c.words ?? []).join(', '),
    sources: [...(c.sources ?? [])],
    urgencyAtLeast: c.urgencyAtLeast === undefined ? '' : String(c.urgencyAtLeast),
    directed: c.directed === undefined ? 'any' : c.directed ? 'directed' : 'overheard',
    department: a.department ?? '',
    alsoTo: [...(a.alsoTo ?? [])],
    setUrgency: a.setUrgency === undefined ? '' : String(a.setUrgency),
    monitorOnly: a.monitorOnly === true,
    notify: a.notify === true,
    template: a.template ?? '',
    stopAfter: rule.stopAfter === true,
  }
}

/** "refund, money back\nlawyer" → ["refund", "money back", "lawyer"]; repeats dropped. */
export function parseWordList(text: string): string[] {
  const seen = new Set<string>()
  const words: string[] = []
  for (const part of text.split(/[,\n]/)) {
    const word = part.trim().replace(/\s+/g, ' ')
    if (word === '' || seen.has(word.toLowerCase())) continue
    seen.add(word.toLowerCase())
    words.push(word)
  }
  return words
}

/** A whole number from 0 to 100, blank for none, or what is wrong with it. */
function urgencyField(text: string, what: string): number | undefined | { error: string } {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const value = Number(trimmed)
  if (!/^\d+$/.test(trimmed) || value > 100) {
    return { error: `${what} must be a whole number from 0 to 100` }
  }
  return value
}

/** A lower-case id from a name, unique among `taken`: "Press & media" → "press-media". */
export function newId(name: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  const base =
    name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'item'
  let id = base
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`
  return id
}

/**
 * The rule a draft describes, or what is wrong with it in words, field by field. `id` is the
 * rule's own (null for a new rule); `rules` are all rules as saved, `departments` all departments.
 */
export function ruleFromDraft(
  draft: RuleDraft,
  id: string | null,
  rules: readonly RoutingRule[],
  departments: readonly Department[],
): Checked<RoutingRule, RuleField> {
  const errors: FormErrors<RuleField> = {}
  const name = draft.name.trim().replace(/\s+/g, ' ')
  const others = rules.filter((rule) => rule.id !== id)
  if (name === '') errors.name = 'Give the rule a name'
  else if (name.length > 80) errors.name = 'Keep the name under 80 characters'
  else if (others.some((rule) => rule.name.toLowerCase() === name.toLowerCase())) {
    errors.name = `Another rule is already called “${name}”`
  }
  const words = parseWordList(draft.words)
  const long = words.find((word) => word.length > 100)
  if (long) errors.words = `“${long.slice(0, 30)}…” is too long: at most 100 characters a word`
  else if (words.length > 300) errors.words = 'At most 300 words or phrases'
  const atLeast = urgencyField(draft.urgencyAtLeast, 'Urgency')
  if (typeof atLeast === 'object') errors.urgencyAtLeast = atLeast.error
  const setUrgency = urgencyField(draft.setUrgency, 'The urgency to set')
  if (typeof setUrgency === 'object') errors.setUrgency = setUrgency.error
  const known = new Set(departments.map((department) => department.id))
  if (draft.department !== '' && !known.has(draft.department)) {
    errors.department = 'That department no longer exists; choose another'
  }
  const alsoTo = draft.alsoTo.filter((other) => other !== draft.department)
  if (alsoTo.some((other) => !known.has(other))) {
    errors.alsoTo = 'One of these departments no longer exists; untick it'
  }
  if (draft.department === '' && alsoTo.length > 0) {
    errors.department = 'Choose the department it goes to first'
  }
  const template = draft.template.trim()
  if (template.length > 120) errors.template = 'Keep the template name under 120 characters'
  const doesSomething =
    draft.department !== '' ||
    setUrgency !== undefined ||
    draft.monitorOnly ||
    draft.notify ||
    template !== ''
  if (!doesSomething) {
    errors.actions =
      'Choose at least one thing the rule does: route, set urgency, monitor only, notify or suggest a template'
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }

  const conditions: RoutingRule['conditions'] = {
    ...(draft.intent.length > 0 ? { intent: INTENTS.filter((i) => draft.intent.includes(i)) } : {}),
    ...(words.length > 0 ? { words } : {}),
    ...(draft.sources.length > 0 ? { sources: [...draft.sources] } : {}),
    ...(typeof atLeast === 'number' ? { urgencyAtLeast: atLeast } : {}),
    ...(draft.directed === 'any' ? {} : { directed: draft.directed === 'directed' }),
    ...(draft.sentiment.length > 0
      ? { sentiment: SENTIMENTS.filter((s) => draft.sentiment.includes(s)) }
      : {}),
  }
  const actions: RoutingRule['actions'] = {
    ...(draft.department !== '' ? { department: draft.department } : {}),
    ...(alsoTo.length > 0 ? { alsoTo } : {}),
    ...(typeof setUrgency === 'number' ? { setUrgency } : {}),
    ...(draft.monitorOnly ? { monitorOnly: true } : {}),
    ...(draft.notify ? { notify: true } : {}),
    ...(template !== '' ? { template } : {}),
  }
  return {
    ok: true,
    value: {
      id:
        id ??
        newId(
          name,
          rules.map((rule) => rule.id),
        ),
      name,
      enabled: draft.enabled,
      conditions,
      actions,
      ...(draft.stopAfter ? { stopAfter: true } : {}),
    },
  }
}

/** The rules with `rule` in place of the one with its id, or added at the end. */
export function withRule(rules: readonly RoutingRule[], rule: RoutingRule): RoutingRule[] {
  const at = rules.findIndex((entry) => entry.id === rule.id)
  return at < 0 ? [...rules, rule] : rules.with(at, rule)
}

/** The rules with the one at `index` moved up (-1) or down (+1); unchanged at either end. */
export function moveRule(rules: readonly RoutingRule[], index: number, by: -1 | 1): RoutingRule[] {
  const target = index + by
  const moving = rules[index]
  const other = rules[target]
  if (moving === undefined || other === undefined) return [...rules]
  return rules.with(index, other).with(target, moving)
}

export const departmentName = (departments: readonly Department[], id: string): string =>
  departments.find((department) => department.id === id)?.name ?? id

/** "PR", "PR and Executives", "PR, Product and Executives". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? ''
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`
}

const WORDS_SHOWN = 4

/** The rule's conditions in one line, e.g. "intent is complaint · directed · words: refund". */
export function describeConditions(rule: RoutingRule, sources: readonly SourceView[] = []): string {
  const c = rule.conditions
  const parts: string[] = []
  if (c.intent?.length) parts.push(`intent is ${c.intent.join(' or ')}`)
  if (c.sentiment?.length) parts.push(`sentiment is ${c.sentiment.join(' or ')}`)
  if (c.directed !== undefined) parts.push(c.directed ? 'directed' : 'overheard')
  if (c.urgencyAtLeast !== undefined) parts.push(`urgency at least ${c.urgencyAtLeast}`)
  if (c.sources?.length) {
    const name = (id: string) => sources.find((s) => s.config.id === id)?.config.name ?? id
    parts.push(`from ${c.sources.map(name).join(' or ')}`)
  }
  if (c.words?.length) {
    const more = c.words.length - WORDS_SHOWN
    parts.push(
      `words: ${c.words.slice(0, WORDS_SHOWN).join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    )
  }
  return parts.length > 0 ? parts.join(' · ') : 'every mention'
}

/** What the rule does in one line, e.g. "route to PR and Executives · notify · stop here". */
export function describeActions(rule: RoutingRule, departments: readonly Department[]): string {
  const a = rule.actions
  const parts: string[] = []
  const ids = [...(a.department ? [a.department] : []), ...(a.alsoTo ?? [])]
  if (ids.length > 0) {
    parts.push(`route to ${joinNames(ids.map((id) => departmentName(departments, id)))}`)
  }
  if (a.setUrgency !== undefined) parts.push(`set urgency to ${a.setUrgency}`)
  if (a.monitorOnly) parts.push('monitor only')
  if (a.notify) parts.push('notify')
  if (a.template) parts.push(`suggest “${a.template}”`)
  if (rule.stopAfter) parts.push('stop here')
  return parts.join(' · ')
}

/** The department form as typed. */
export type DepartmentDraft = {
  name: string
  email: string
  webhookUrl: string
  followUpHours: string
}
export type DepartmentField = keyof DepartmentDraft

export const draftFromDepartment = (department: Department): DepartmentDraft => ({
  name: department.name,
  email: department.email ?? '',
  webhookUrl: department.webhookUrl ?? '',
  followUpHours: String(department.followUpHours),
})

export const emptyDepartmentDraft = (): DepartmentDraft => ({
  name: '',
  email: '',
  webhookUrl: '',
  followUpHours: '24',
})

/** The department a draft describes, or what is wrong with it; `id` null for a new one. */
export function departmentFromDraft(
  draft: DepartmentDraft,
  id: string | null,
  departments: readonly Department[],
): Checked<Department, DepartmentField> {
  const errors: FormErrors<DepartmentField> = {}
  const name = draft.name.trim().replace(/\s+/g, ' ')
  if (name === '') errors.name = 'Give the department a name'
  else if (name.length > 60) errors.name = 'Keep the name under 60 characters'
  else if (departments.some((d) => d.id !== id && d.name.toLowerCase() === name.toLowerCase())) {
    errors.name = `Another department is already called “${name}”`
  }
  const hours = draft.followUpHours.trim()
  const followUpHours = Number(hours)
  if (!/^\d+$/.test(hours) || followUpHours < 1 || followUpHours > MAX_FOLLOW_UP_HOURS) {
    errors.followUpHours = `Follow up after 1 to ${MAX_FOLLOW_UP_HOURS} hours (30 days)`
  }
  const email = draft.email.trim()
  const webhookUrl = draft.webhookUrl.trim()
  const candidate = {
    id:
      id ??
      newId(
        name,
        departments.map((d) => d.id),
      ),
    name,
    ...(email !== '' ? { email } : {}),
    ...(webhookUrl !== '' ? { webhookUrl } : {}),
    followUpHours,
  }
  const parsed = departmentSchema.safeParse(candidate)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0]
      if (field === 'email' && !errors.email) errors.email = issue.message
      if (field === 'webhookUrl' && !errors.webhookUrl) {
        errors.webhookUrl = 'Enter the full webhook address, starting with https://'
      }
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) {
    return {
      ok: false,
      errors: Object.keys(errors).length > 0 ? errors : { name: 'Check the form' },
    }
  }
  return { ok: true, value: parsed.data }
}

/** Why a department cannot be removed yet (rules route to it), or null when it can. */
export function removalProblem(settings: RoutingSettings, id: string): string | null {
  const using = rulesUsing(settings.rules, id)
  if (using.length === 0) return null
  const name = departmentName(settings.departments, id)
  const rules = joinNames(using.map((rule) => `“${rule.name}”`))
  return `${name} is used by the ${using.length === 1 ? 'rule' : 'rules'} ${rules}. Change ${
    using.length === 1 ? 'it' : 'them'
  } first.`
}

/**
 * What the context panel says about a route: "Routed to PR and Executives (rule: Crisis words)",
 * or for a rule that routes nowhere, "Matched rule: Praise".
 */
export function routeSummary(route: Route, departments: readonly Department[]): string {
  const ids = route.departments ?? (route.department ? [route.department] : [])
  const rules = `${route.rules.length === 1 ? 'rule' : 'rules'}: ${route.rules.join(', ')}`
  if (ids.length === 0) return `Matched ${rules}`
  return `Routed to ${joinNames(ids.map((id) => departmentName(departments, id)))} (${rules})`
}
