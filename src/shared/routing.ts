import { z } from 'zod'
import { httpUrlSchema, intentSchema, platformSchema, sentimentLabelSchema } from './domain'

/* Routing settings: the departments mentions are handed to, and the rules that decide which. */

/** Lower-case letters, digits and dashes: stable across renames, safe in files and filters. */
export const routingIdSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'Use lower-case letters, digits and dashes')

export const MAX_FOLLOW_UP_HOURS = 24 * 30

/** A part of the company a mention can be handed to. */
export const departmentSchema = z.object({
  id: routingIdSchema,
  name: z.string().trim().min(1, 'Give the department a name').max(60),
  email: z.email('Enter an e-mail address such as pr@example.com').max(254).optional(),
  /** Receives the hand-off as Slack-compatible JSON (`{"text": ...}`); http(s) only. */
  webhookUrl: httpUrlSchema.optional(),
  /** Hours after a hand-off before the responder is reminded to follow up. */
  followUpHours: z.number().int().min(1).max(MAX_FOLLOW_UP_HOURS),
})
export type Department = z.infer<typeof departmentSchema>

/** All conditions given must hold; a condition left out (or an empty list) matches anything. */
export const ruleConditionsSchema = z.object({
  intent: z.array(intentSchema).max(5).optional(),
  /** Any of these words or phrases, as whole words, ignoring case and accents. */
  words: z.array(z.string().trim().min(1).max(100)).max(300).optional(),
  /** Platforms (`mastodon`, `rss`, ...) or source ids. */
  sources: z.array(z.string().min(1).max(80)).max(100).optional(),
  urgencyAtLeast: z.number().int().min(0).max(100).optional(),
  directed: z.boolean().optional(),
  sentiment: z.array(sentimentLabelSchema).max(3).optional(),
})
export type RuleConditions = z.infer<typeof ruleConditionsSchema>

export const ruleActionsSchema = z.object({
  /** The department the mention goes to first. */
  department: routingIdSchema.optional(),
  /** Further departments that receive it too (e.g. executives beside PR). */
  alsoTo: z.array(routingIdSchema).max(20).optional(),
  setUrgency: z.number().int().min(0).max(100).optional(),
  monitorOnly: z.boolean().optional(),
  notify: z.boolean().optional(),
  /** A template's name or id to suggest for the answer, e.g. "Thank you". */
  template: z.string().trim().min(1).max(120).optional(),
})
export type RuleActions = z.infer<typeof ruleActionsSchema>

/** One rule the responder edits. Rules run in order; earlier rules win where two set one thing. */
export const routingRuleSchema = z.object({
  id: routingIdSchema,
  name: z.string().trim().min(1, 'Give the rule a name').max(80),
  enabled: z.boolean(),
  conditions: ruleConditionsSchema,
  actions: ruleActionsSchema,
  /** No later rule runs once this one fired. */
  stopAfter: z.boolean().optional(),
})
export type RoutingRule = z.infer<typeof routingRuleSchema>

export const MAX_RULES = 200
export const MAX_DEPARTMENTS = 50

/** Everything the routing screen edits, as `routing:get` answers and `routing:save` takes it. */
export const routingSettingsSchema = z.object({
  rules: z.array(routingRuleSchema).max(MAX_RULES),
  departments: z.array(departmentSchema).max(MAX_DEPARTMENTS),
})
export type RoutingSettings = z.infer<typeof routingSettingsSchema>

/** The departments a new install starts with, as people in social customer care name them. */
export const DEFAULT_DEPARTMENTS: readonly Department[] = [
  { id: 'customer-service', name: 'Customer service', followUpHours: 24 },
  { id: 'product', name: 'Product', followUpHours: 72 },
  { id: 'pr', name: 'PR', followUpHours: 4 },
  { id: 'marketing', name: 'Marketing', followUpHours: 48 },
  { id: 'executives', name: 'Executives', followUpHours: 24 },
]

/** Platforms a rule's source condition can name, besides single sources. */
export const ROUTABLE_PLATFORMS = platformSchema.options

/**
 * What is wrong with a set of routing settings beyond the shape of each entry, in words for the
 * responder: repeated ids or names, rules naming departments that do not exist. Empty when fine.
 */
export function routingProblems(settings: RoutingSettings): string[] {
  const problems: string[] = []
  const departmentIds = new Set<string>()
  const departmentNames = new Set<string>()
  for (const department of settings.departments) {
    if (departmentIds.has(department.id)) {
      problems.push(`Two departments share the id “${department.id}”`)
    }
    departmentIds.add(department.id)
    const name = department.name.trim().toLowerCase()
    if (departmentNames.has(name)) problems.push(`Two departments are called “${department.name}”`)
    departmentNames.add(name)
  }
  const byId = new Map(settings.departments.map((d) => [d.id, d]))
  const ruleIds = new Set<string>()
  const ruleNames = new Set<string>()
  for (const rule of settings.rules) {
    if (ruleIds.has(rule.id)) problems.push(`Two rules share the id “${rule.id}”`)
    ruleIds.add(rule.id)
    const name = rule.name.trim().toLowerCase()
    if (ruleNames.has(name)) problems.push(`Two rules are called “${rule.name}”`)
    ruleNames.add(name)
    const { department, alsoTo = [] } = rule.actions
    for (const id of department === undefined ? alsoTo : [department, ...alsoTo]) {
      if (!byId.has(id)) {
        problems.push(`The rule “${rule.name}” routes to a department that does not exist (${id})`)
      }
    }
  }
  return problems
}

/** The rules that route to `departmentId`, so removing it can say which to change first. */
export function rulesUsing(rules: readonly RoutingRule[], departmentId: string): RoutingRule[] {
  return rules.filter(
    (rule) =>
      rule.actions.department === departmentId ||
      (rule.actions.alsoTo ?? []).includes(departmentId),
  )
}
