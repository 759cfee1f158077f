import { describe, expect, it } from 'vitest'
import { triageText } from '../../../../src/main/triage/index'
import {
  applyRouting,
  defaultRules,
  foldText,
  routeMention,
  compileWords,
  type RoutableMention,
} from '../../../../src/main/triage/routing'
import type { BrandProfile, Mention, Platform, Triage } from '../../../../src/shared/domain'
import type { RoutingRule } from '../../../../src/shared/routing'

const acme: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'mastodon', handle: '@acme@mastodon.social' }],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: [],
}

/** A mention scored by the real triage, heard on `platform` from source `sourceId`. */
const heard = (text: string, platform: Platform = 'mastodon', sourceId = 'mastodon-social-1') => ({
  text,
  triage: triageText(text, acme),
  platform,
  sourceId,
})

/** A mention with a hand-set triage, for conditions that read one field. */
const scored = (triage: Partial<Triage>, text = 'Hello Acme'): RoutableMention => ({
  text,
  platform: 'rss',
  sourceId: 'rss-blog-1',
  triage: {
    sentiment: { score: 0, comparative: 0, label: 'neutral', words: [] },
    intent: 'other',
    directed: false,
    urgency: 10,
    reasons: [],
    matched: ['Acme'],
    ...triage,
  },
})

let counter = 0
const rule = (
  conditions: RoutingRule['conditions'],
  actions: RoutingRule['actions'] = { department: 'customer-service' },
  extra: Partial<RoutingRule> = {},
): RoutingRule => {
  counter += 1
  return {
    id: `r${counter}`,
    name: `Rule ${counter}`,
    enabled: true,
    conditions,
    actions,
    ...extra,
  }
}

const fires = (mention: RoutableMention, r: RoutingRule) =>
  routeMention(mention, [r]).route !== undefined

describe('routing conditions', () => {
  it('matches intents from the list, reading a missing intent as other', () => {
    const r = rule({ intent: ['complaint', 'question'] })
    expect(fires(scored({ intent: 'complaint' }), r)).toBe(true)
    expect(fires(scored({ intent: 'question' }), r)).toBe(true)
    expect(fires(scored({ intent: 'praise' }), r)).toBe(false)
    const noIntent = scored({})
    delete noIntent.triage.intent
    expect(fires(noIntent, rule({ intent: ['other'] }))).toBe(true)
  })

  it('matches any of its words as whole words, ignoring case and accents', () => {
    const r = rule({ words: ['refund', 'Café', 'data breach', "I'll sue"] })
    expect(fires(scored({}, 'Where is my REFUND?'), r)).toBe(true)
    expect(fires(scored({}, 'the cafe on Main St'), r)).toBe(true)
    expect(fires(scored({}, 'Was there a DATA\n  breach?'), r)).toBe(true)
    expect(fires(scored({}, 'I’ll sue you all'), r)).toBe(true)
    // inside other words, or only part of a phrase, is not a match
    expect(fires(scored({}, 'refunded already'), r)).toBe(false)
    expect(fires(scored({}, 'nonrefund policy'), r)).toBe(false)
    expect(fires(scored({}, 'our data is safe'), r)).toBe(false)
  })

  it('treats regex characters in words as plain text', () => {
    const matcher = compileWords(['c++', 'a.b', '#acme'])
    expect(matcher?.test(foldText('I write C++ daily'))).toBe(true)
    expect(matcher?.test('axb')).toBe(false)
    expect(matcher?.test('love #acme!')).toBe(true)
    expect(compileWords(['  ', ''])).toBeNull()
  })

  it('finds words next to letters of any script only as whole words', () => {
    const matcher = compileWords(['lawyer', 'sue', 'straße', 'юрист'])
    expect(matcher?.test(foldText('lawyerß'))).toBe(false)
    expect(matcher?.test(foldText('a lawyer—now'))).toBe(true)
    expect(matcher?.test(foldText('the issue is the issue, we will sue'))).toBe(true)
    expect(matcher?.test(foldText('the issue persists'))).toBe(false)
    expect(matcher?.test(foldText('Die STRASSE? nein, die Straße'))).toBe(true)
    expect(matcher?.test(foldText('мой юрист позвонит'))).toBe(true)
    expect(matcher?.test(foldText('юристы'))).toBe(false)
  })

  it('matches a platform or a single source, and no source when it is unknown', () => {
    expect(fires(scored({}), rule({ sources: ['rss'] }))).toBe(true)
    expect(fires(scored({}), rule({ sources: ['rss-blog-1'] }))).toBe(true)
    expect(fires(scored({}), rule({ sources: ['mastodon', 'rss-other'] }))).toBe(false)
    const unknown = { text: 'Hello Acme', triage: scored({}).triage }
    expect(fires(unknown, rule({ sources: ['rss'] }))).toBe(false)
  })

  it('matches urgency at or above the threshold', () => {
    const r = rule({ urgencyAtLeast: 70 })
    expect(fires(scored({ urgency: 70 }), r)).toBe(true)
    expect(fires(scored({ urgency: 69 }), r)).toBe(false)
  })

  it('matches directed or overheard', () => {
    expect(fires(scored({ directed: true }), rule({ directed: true }))).toBe(true)
    expect(fires(scored({ directed: false }), rule({ directed: true }))).toBe(false)
    expect(fires(scored({ directed: false }), rule({ directed: false }))).toBe(true)
  })

  it('matches sentiment labels from the list', () => {
    const negative = { score: -3, comparative: -1, label: 'negative' as const, words: [] }
    expect(fires(scored({ sentiment: negative }), rule({ sentiment: ['negative'] }))).toBe(true)
    expect(fires(scored({}), rule({ sentiment: ['negative', 'positive'] }))).toBe(false)
  })

  it('needs every condition given, and reads empty lists as any', () => {
    const r = rule({ intent: ['complaint'], directed: true, words: [], sources: [] })
    expect(fires(scored({ intent: 'complaint', directed: true }), r)).toBe(true)
    expect(fires(scored({ intent: 'complaint', directed: false }), r)).toBe(false)
    expect(fires(scored({}), rule({}))).toBe(true)
  })

  it("never fires on the brand's own posts, not even a rule with no conditions", () => {
    const everything = rule({}, { department: 'pr', notify: true })
    expect(fires(scored({ own: true }), everything)).toBe(false)
    expect(fires(scored({ own: false }), everything)).toBe(true)
  })
})

describe('routing actions', () => {
  it('routes to a department and to the departments it also names', () => {
    const { route } = routeMention(scored({}), [
      rule({}, { department: 'pr', alsoTo: ['executives', 'pr'] }),
    ])
    expect(route).toEqual({
      department: 'pr',
      departments: ['pr', 'executives'],
      rules: ['Rule ' + counter],
    })
  })

  it('sets urgency, with a chip naming the rule', () => {
    const r = rule({ words: ['recall'] }, { setUrgency: 95 }, { name: 'Recalls' })
    const outcome = routeMention(scored({ urgency: 30 }, 'Is this a recall?'), [r])
    expect(outcome.urgency).toEqual({
      value: 95,
      reason: { code: 'rule:Recalls', label: 'Rule: Recalls', points: 65 },
    })
    const mention = { ...scored({ urgency: 30 }, 'Is this a recall?'), id: 'rss:1' } as Mention
    const routed = applyRouting(mention, mention.text, [r])
    expect(routed.triage.urgency).toBe(95)
    expect(routed.triage.reasons[0]).toMatchObject({ code: 'rule:Recalls', label: 'Rule: Recalls' })
    expect(routed.triage.route).toEqual({ rules: ['Recalls'] })
    // the mention given is left as it was
    expect(mention.triage.urgency).toBe(30)
  })

  it('marks monitor only, notify, and the template to suggest', () => {
    const { route } = routeMention(scored({}), [
      rule({}, { monitorOnly: true }),
      rule({}, { notify: true, template: 'We hear you' }),
    ])
    expect(route).toMatchObject({ monitorOnly: true, notify: true, template: 'We hear you' })
    expect(route?.department).toBeUndefined()
  })

  it('leaves a mention no rule fires for without a route', () => {
    const mention = { ...scored({}, 'nothing here'), id: 'x' } as Mention
    expect(routeMention(mention, [rule({ words: ['refund'] })])).toEqual({})
    expect(applyRouting(mention, mention.text, [rule({ words: ['refund'] })])).toBe(mention)
  })
})

describe('rule order', () => {
  it('gives what two rules both set to the earlier one, and adds up the departments', () => {
    const first = rule(
      {},
      { department: 'product', setUrgency: 40, template: 'A' },
      { name: 'First' },
    )
    const second = rule({}, { department: 'pr', setUrgency: 90, template: 'B' }, { name: 'Second' })
    const outcome = routeMention(scored({}), [first, second])
    expect(outcome.route).toEqual({
      department: 'product',
      departments: ['product', 'pr'],
      template: 'A',
      rules: ['First', 'Second'],
    })
    expect(outcome.urgency?.value).toBe(40)
    // swapped, the other rule wins
    expect(routeMention(scored({}), [second, first]).route?.department).toBe('pr')
  })

  it('runs no rule after one that stops, and skips disabled rules', () => {
    const stop = rule({}, { department: 'pr' }, { name: 'Stop', stopAfter: true })
    const later = rule({}, { department: 'product' }, { name: 'Later' })
    expect(routeMention(scored({}), [stop, later]).route?.rules).toEqual(['Stop'])
    const off = { ...stop, enabled: false }
    expect(routeMention(scored({}), [off, later]).route).toEqual({
      department: 'product',
      rules: ['Later'],
    })
  })

  it('reads urgency as earlier rules set it', () => {
    const raise = rule({}, { setUrgency: 80 })
    const urgentOnly = rule({ urgencyAtLeast: 70 }, { notify: true }, { name: 'Urgent' })
    expect(routeMention(scored({ urgency: 10 }), [raise, urgentOnly]).route?.notify).toBe(true)
    expect(routeMention(scored({ urgency: 10 }), [urgentOnly, raise]).route?.notify).toBeUndefined()
  })

  it('uses the words of a replaced rule set, not the old compiled ones', () => {
    const before = [rule({ words: ['refund'] })]
    const after = [{ ...before[0]!, conditions: { words: ['invoice'] } }]
    const mention = scored({}, 'my invoice is wrong')
    expect(routeMention(mention, before).route).toBeUndefined()
    expect(routeMention(mention, after).route).toBeDefined()
  })
})

describe('the default rules', () => {
  const rules = defaultRules()
  const route = (text: string) => routeMention(heard(text), rules).route

  it('sends a lawyer threat to PR and the executives, with a notification, and stops there', () => {
    expect(route('@acme@mastodon.social I was charged twice. My lawyer will be in touch.')).toEqual(
      {
        department: 'pr',
        departments: ['pr', 'executives'],
        notify: true,
        rules: ['Crisis words'],
      },
    )
  })

  it('sends other crisis words to PR too: safety, health, security', () => {
    for (const text of [
      'The Acme charger overheated and caught fire in our kitchen',
      'Got food poisoning after the Acme lunch event',
      'Acme had a data breach and nobody told us',
    ]) {
      expect(route(text)?.department, text).toBe('pr')
    }
  })

  it('sends "you should add dark mode" to product', () => {
    expect(route('Acme, you should add dark mode')).toEqual({
      department: 'product',
      rules: ['Ideas'],
    })
  })

  it('sends complaints to customer service', () => {
    expect(route('@acme@mastodon.social still waiting for my refund, three weeks now')).toEqual({
      department: 'customer-service',
      rules: ['Complaints'],
    })
  })

  it('suggests the Thank you template for praise, without a department', () => {
    expect(route('Loving the new Acme dashboard, great work!')).toEqual({
      template: 'Thank you',
      rules: ['Praise'],
    })
  })

  it('leaves a plain mention alone', () => {
    expect(route('Anyone going to the Acme meetup on Thursday')).toBeUndefined()
  })
})
