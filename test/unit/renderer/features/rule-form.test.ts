import { describe, expect, it } from 'vitest'
import {
  departmentFromDraft,
  describeActions,
  describeConditions,
  draftFromRule,
  emptyDepartmentDraft,
  emptyRuleDraft,
  moveRule,
  newId,
  parseWordList,
  removalProblem,
  routeSummary,
  ruleFromDraft,
  withRule,
  type RuleDraft,
} from '../../../../src/renderer/src/features/routing/rule-form'
import {
  DEFAULT_DEPARTMENTS,
  type RoutingRule,
  type RoutingSettings,
} from '../../../../src/shared/routing'

const departments = [...DEFAULT_DEPARTMENTS]
const crisis: RoutingRule = {
  id: 'crisis-words',
  name: 'Crisis words',
  enabled: true,
  conditions: { words: ['lawyer', 'food poisoning', 'data breach', 'injured', 'recall'] },
  actions: { department: 'pr', alsoTo: ['executives'], notify: true },
  stopAfter: true,
}
const complaints: RoutingRule = {
  id: 'complaints',
  name: 'Complaints',
  enabled: true,
  conditions: { intent: ['complaint'], directed: true, urgencyAtLeast: 40 },
  actions: { department: 'customer-service' },
}
const rules = [crisis, complaints]
const draft = (changes: Partial<RuleDraft>): RuleDraft => ({ ...emptyRuleDraft(), ...changes })
const check = (changes: Partial<RuleDraft>, id: string | null = null) =>
  ruleFromDraft(draft(changes), id, rules, departments)

describe('the rule form', () => {
  it('turns a filled form into a rule with only the conditions and actions given', () => {
    const result = check({
      name: '  Refund   requests ',
      intent: ['question', 'complaint'],
      words: 'refund,  money back\nRefund, chargeback',
      sources: ['mastodon'],
      directed: 'overheard',
      urgencyAtLeast: '30',
      department: 'customer-service',
      alsoTo: ['marketing', 'customer-service'],
      setUrgency: '75',
      notify: true,
      template: ' We hear you ',
    })
    expect(result).toEqual({
      ok: true,
      value: {
        id: 'refund-requests',
        name: 'Refund requests',
        enabled: true,
        conditions: {
          // intents in the usual order, whatever order they were ticked in
          intent: ['complaint', 'question'],
          words: ['refund', 'money back', 'chargeback'],
          sources: ['mastodon'],
          urgencyAtLeast: 30,
          directed: false,
        },
        actions: {
          department: 'customer-service',
          alsoTo: ['marketing'],
          setUrgency: 75,
          notify: true,
          template: 'We hear you',
        },
      },
    })
  })

  it('gives back the same rule when an existing rule is opened and saved unchanged', () => {
    for (const rule of rules) {
      expect(ruleFromDraft(draftFromRule(rule), rule.id, rules, departments)).toEqual({
        ok: true,
        value: rule,
      })
    }
  })

  it('says in words what is wrong, field by field', () => {
    const result = check({ name: '', urgencyAtLeast: 'high', setUrgency: '150' })
    expect(result).toEqual({
      ok: false,
      errors: {
        name: 'Give the rule a name',
        urgencyAtLeast: 'Urgency must be a whole number from 0 to 100',
        setUrgency: 'The urgency to set must be a whole number from 0 to 100',
      },
    })
    expect(check({ name: 'Does nothing', intent: ['praise'] })).toEqual({
      ok: false,
      errors: {
        actions:
          'Choose at least one thing the rule does: route, set urgency, monitor only, notify or suggest a template',
      },
    })
  })

  it('refuses a second rule with the same name, but not the rule itself', () => {
    expect(check({ name: 'crisis WORDS', notify: true })).toMatchObject({
      ok: false,
      errors: { name: 'Another rule is already called “crisis WORDS”' },
    })
    expect(check({ ...draftFromRule(crisis) }, 'crisis-words').ok).toBe(true)
  })

  it('refuses a department that was removed, and extra departments without a first one', () => {
    expect(check({ name: 'X', department: 'legal' })).toMatchObject({
      ok: false,
      errors: { department: 'That department no longer exists; choose another' },
    })
    expect(check({ name: 'X', alsoTo: ['pr'] })).toMatchObject({
      ok: false,
      errors: { department: 'Choose the department it goes to first' },
    })
  })

  it('refuses a word longer than 100 characters', () => {
    const result = check({ name: 'Long', notify: true, words: `ok, ${'x'.repeat(101)}` })
    expect(result.ok).toBe(false)
    expect(!result.ok && result.errors.words).toMatch(/too long: at most 100 characters/)
  })

  it('splits words on commas and new lines, dropping blanks and repeats', () => {
    expect(parseWordList(' refund ,, Money  back\n\nREFUND,\n')).toEqual(['refund', 'Money back'])
  })

  it('gives new rules and departments readable ids that never clash', () => {
    expect(newId('Press & média', [])).toBe('press-media')
    expect(newId('Complaints', ['complaints', 'complaints-2'])).toBe('complaints-3')
    expect(newId('!!!', [])).toBe('item')
  })
})

describe('rule order and summaries', () => {
  it('moves a rule up or down, and not past either end', () => {
    expect(moveRule(rules, 1, -1).map((r) => r.id)).toEqual(['complaints', 'crisis-words'])
    expect(moveRule(rules, 0, 1).map((r) => r.id)).toEqual(['complaints', 'crisis-words'])
    expect(moveRule(rules, 0, -1).map((r) => r.id)).toEqual(['crisis-words', 'complaints'])
    expect(moveRule(rules, 1, 1).map((r) => r.id)).toEqual(['crisis-words', 'complaints'])
  })

  it('replaces an edited rule in place and adds a new one at the end', () => {
    const edited = { ...crisis, name: 'Crisis' }
    expect(withRule(rules, edited).map((r) => r.name)).toEqual(['Crisis', 'Complaints'])
    const added = { ...complaints, id: 'ideas', name: 'Ideas' }
    expect(withRule(rules, added).map((r) => r.name)).toEqual([
      'Crisis words',
      'Complaints',
      'Ideas',
    ])
  })

  it('describes what a rule looks for and what it does', () => {
    expect(describeConditions(crisis)).toBe(
      'words: lawyer, food poisoning, data breach, injured and 1 more',
    )
    expect(describeConditions(complaints)).toBe(
      'intent is complaint · directed · urgency at least 40',
    )
    expect(describeConditions({ ...complaints, conditions: {} })).toBe('every mention')
    expect(describeActions(crisis, departments)).toBe(
      'route to PR and Executives · notify · stop here',
    )
  })

  it('says where a mention was routed and by which rule', () => {
    expect(
      routeSummary(
        {
          department: 'pr',
          departments: ['pr', 'executives'],
          notify: true,
          rules: ['Crisis words'],
        },
        departments,
      ),
    ).toBe('Routed to PR and Executives (rule: Crisis words)')
    expect(routeSummary({ department: 'pr', rules: ['Crisis words'] }, departments)).toBe(
      'Routed to PR (rule: Crisis words)',
    )
    expect(routeSummary({ template: 'Thank you', rules: ['Praise', 'Fans'] }, departments)).toBe(
      'Matched rules: Praise, Fans',
    )
    // a department removed since keeps its id rather than vanishing
    expect(routeSummary({ department: 'legal', rules: ['Old'] }, departments)).toBe(
      'Routed to legal (rule: Old)',
    )
  })
})

describe('the department form', () => {
  const fill = (
    changes: Partial<ReturnType<typeof emptyDepartmentDraft>>,
    id: string | null = null,
  ) => departmentFromDraft({ ...emptyDepartmentDraft(), ...changes }, id, departments)

  it('makes a department from the form', () => {
    expect(
      fill({
        name: ' Legal ',
        email: 'legal@acme.example',
        webhookUrl: 'https://hooks.slack.com/services/T0/B0/x',
        followUpHours: '8',
      }),
    ).toEqual({
      ok: true,
      value: {
        id: 'legal',
        name: 'Legal',
        email: 'legal@acme.example',
        webhookUrl: 'https://hooks.slack.com/services/T0/B0/x',
        followUpHours: 8,
      },
    })
  })

  it('accepts only http(s) webhooks, real e-mail addresses and sane follow-up times', () => {
    const result = fill({
      name: 'Legal',
      email: 'legal at acme',
      webhookUrl: 'javascript:alert(1)',
      followUpHours: '0',
    })
    expect(result).toEqual({
      ok: false,
      errors: {
        email: 'Enter an e-mail address such as pr@example.com',
        webhookUrl: 'Enter the full webhook address, starting with https://',
        followUpHours: 'Follow up after 1 to 720 hours (30 days)',
      },
    })
    expect(fill({ name: 'Legal', webhookUrl: 'ftp://files.example/x' }).ok).toBe(false)
  })

  it('refuses a name another department has, but not its own', () => {
    expect(fill({ name: 'pr' })).toMatchObject({
      ok: false,
      errors: { name: 'Another department is already called “pr”' },
    })
    expect(fill({ name: 'PR', followUpHours: '6' }, 'pr').ok).toBe(true)
  })

  it('will not remove a department a rule routes to, and says which rule', () => {
    const settings: RoutingSettings = { rules, departments }
    expect(removalProblem(settings, 'executives')).toBe(
      'Executives is used by the rule “Crisis words”. Change it first.',
    )
    expect(removalProblem(settings, 'marketing')).toBeNull()
  })
})
