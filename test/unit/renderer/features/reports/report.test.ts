import { describe, expect, it } from 'vitest'
import { buildReport } from '../../../../../src/renderer/src/features/reports/compute/build'
import { fixedZone } from '../../../../../src/renderer/src/features/reports/compute/calendar'
import { reportCsv } from '../../../../../src/renderer/src/features/reports/compute/csv'
import { drillMatcher } from '../../../../../src/renderer/src/features/reports/compute/drill'
import { actions, FRI, HOUR, MON, mentions, SAT, settings, states, SUN, TUE } from './report-data'

const utc = fixedZone(0)
const report = buildReport(settings, utc, { mentions, states, actions })

describe('report figures on the fixed week (counted by hand)', () => {
  it('covers every day of the range, quiet ones too, and leaves out spam and later mentions', () => {
    expect(report.days).toEqual([FRI, SAT, SUN, MON])
    // m1 m2 m3 m4 m5 m7 m9: m6 is spam, m8 falls after the range.
    expect(report.mentions).toBe(7)
  })

  it("leaves out the brand's own posts from every figure", () => {
    const reply = mentions.find((mention) => mention.id === 'm3')!
    const own = { ...reply, id: 'm10', triage: { ...reply.triage, own: true } }
    const withOwn = buildReport(settings, utc, {
      mentions: [...mentions, own],
      states: [...states, { id: 'm10', status: 'own', updatedAt: reply.createdAt }],
      actions,
    })
    expect(withOwn).toEqual(report)
    const asMention = buildReport(settings, utc, {
      mentions: [...mentions, own],
      states: [...states, { id: 'm10', status: 'monitor', updatedAt: reply.createdAt }],
      actions,
    })
    expect(asMention.mentions).toBe(8)
  })

  it('counts volume per day by source and by brand, product and competitor', () => {
    expect(report.volume).toEqual([
      {
        day: FRI,
        total: 3,
        bySource: { mast: 2, blog: 1 },
        byKind: { brand: 3, product: 1, competitor: 0 },
      },
      { day: SAT, total: 1, bySource: { red: 1 }, byKind: { brand: 1, product: 0, competitor: 1 } },
      { day: SUN, total: 0, bySource: {}, byKind: { brand: 0, product: 0, competitor: 0 } },
      {
        day: MON,
        total: 3,
        bySource: { mast: 2, hn: 1 },
        byKind: { brand: 2, product: 1, competitor: 0 },
      },
    ])
    expect(report.terms).toEqual([
      { kind: 'brand', term: '@acme', count: 4 },
      { kind: 'brand', term: 'Acme', count: 2 },
      { kind: 'product', term: 'Acme Pay', count: 2 },
      { kind: 'competitor', term: 'Tellwell', count: 1 },
    ])
    expect(report.sources).toEqual([
      { id: 'blog', platform: 'rss' },
      { id: 'hn', platform: 'hn' },
      { id: 'mast', platform: 'mastodon' },
      { id: 'red', platform: 'reddit' },
    ])
  })

  it('keeps sentiment of directed and overheard mentions apart', () => {
    const zero = { negative: 0, neutral: 0, positive: 0 }
    expect(report.sentiment).toEqual([
      { day: FRI, directed: { ...zero, negative: 2 }, overheard: { ...zero, positive: 1 } },
      { day: SAT, directed: zero, overheard: { ...zero, negative: 1 } },
      { day: SUN, directed: zero, overheard: zero },
      {
        day: MON,
        directed: { ...zero, negative: 1, neutral: 1 },
        overheard: { ...zero, negative: 1 },
      },
    ])
  })

  it("lists each day's top issues in the customers' words, angriest quote first", () => {
    expect(report.issues).toEqual([
      {
        day: FRI,
        issues: [
          {
            phrase: 'refund',
            count: 2,
            mentionIds: ['m1', 'm2'],
            quotes: ['Acme Pay refund missing.', 'refund never came'],
          },
        ],
      },
      { day: SAT, issues: [] },
      { day: SUN, issues: [] },
      {
        day: MON,
        issues: [
          {
            phrase: 'login error',
            count: 2,
            mentionIds: ['m7', 'm9'],
            // Equally negative: the newer first.
            quotes: ['login error on checkout', 'Acme Pay login error again'],
          },
        ],
      },
    ])
  })

  it('measures response rate and first response in business minutes from the audit log', () => {
    // Directed: m1 m2 m5 m9. m1 replied in 60, m2 done Monday 10:00 after Friday 16:00 = 60 + 60,
    // m5 replied in 15; m9 is waiting on product. Sorted 15, 60, 120: median 60, p90 60 + 0.8 x 60.
    expect(report.responses).toEqual({
      directed: 4,
      answered: 3,
      rate: 0.75,
      medianMinutes: 60,
      p90Minutes: 108,
      basis: 'actions',
    })
    expect(report.unanswered).toEqual({ count: 1, mentionIds: ['m9'] })
  })

  it('reads responses from done times on a database without an audit log', () => {
    const old = buildReport(settings, utc, { mentions, states, actions: null })
    // m1 done at 11:05 (65 min), m2 120, m5 15: median 65, p90 65 + 0.8 x 55 = 109.
    expect(old.responses).toEqual({
      directed: 4,
      answered: 3,
      rate: 0.75,
      medianMinutes: 65,
      p90Minutes: 109,
      basis: 'states',
    })
    expect(old.departments).toEqual([
      {
        department: 'product',
        routed: 1,
        stillWaiting: 1,
        medianWaitHours: 5,
        longestWaitHours: 5,
        mentionIds: ['m9'],
      },
    ])
  })

  it('counts routed mentions per department and how long they waited', () => {
    expect(report.departments).toEqual([
      // Routed Saturday 12:00, closed 14:00.
      {
        department: 'PR',
        routed: 1,
        stillWaiting: 0,
        medianWaitHours: 2,
        longestWaitHours: 2,
        mentionIds: ['m4'],
      },
      // Routed Monday 13:00, still waiting at the report's 18:00.
      {
        department: 'product',
        routed: 1,
        stillWaiting: 1,
        medianWaitHours: 5,
        longestWaitHours: 5,
        mentionIds: ['m9'],
      },
    ])
  })

  it('maps the communities: volume and the share that is negative', () => {
    expect(
      report.communities.map(({ name, volume, negative, shareNegative, directed }) => [
        name,
        volume,
        negative,
        shareNegative,
        directed,
      ]),
    ).toEqual([
      ['social.example', 3, 2, 2 / 3, 3],
      ['blog.example', 1, 0, 0, 0],
      ['Hacker News', 1, 1, 1, 0],
      ['other.example', 1, 1, 1, 1],
      ['r/acmeusers', 1, 1, 1, 0],
    ])
  })

  it('estimates staffing over quiet and busy days', () => {
    // Conversations (directed threads): Friday m1, m2; Monday m5 (thread m1) and m9. Two
    // communities talk (social.example, other.example): per community 1, 0, 0, 1 a day. Median
    // 0.5, p90 0.9 of the way from 1 to 1 = 1. Hours = per community x 2 x 20 / 60.
    const { staffing } = report
    expect(staffing.conversationsPerDay).toEqual([
      { day: FRI, conversations: 2 },
      { day: SAT, conversations: 0 },
      { day: SUN, conversations: 0 },
      { day: MON, conversations: 2 },
    ])
    expect(staffing.communities).toBe(2)
    expect(staffing.minutesBasis).toBe('set')
    expect(staffing.quietPerCommunity).toBe(0.5)
    expect(staffing.busyPerCommunity).toBe(1)
    expect(staffing.quietHours).toBeCloseTo(1 / 3, 10)
    expect(staffing.busyHours).toBeCloseTo(2 / 3, 10)
    expect(staffing.quietShare).toBeCloseTo(1 / 24, 10)
    expect(staffing.busyShare).toBeCloseTo(1 / 12, 10)
  })

  it('uses 20 minutes when asked to measure but the log holds too few answers', () => {
    const measured = buildReport({ ...settings, minutes: 'measured' }, utc, {
      mentions,
      states,
      actions,
    })
    expect(measured.staffing.minutesBasis).toBe('default')
    expect(measured.staffing.minutesPerConversation).toBe(20)
    // Two answers follow another action within the hour: m1's done (5 min), m2's done (15 min).
    expect(measured.staffing.measuredSamples).toBe(2)
  })

  it('counts days in the local zone: an hour east moves late Sunday mentions to Monday', () => {
    const east = buildReport({ ...settings, from: FRI - HOUR, to: TUE - HOUR }, fixedZone(60), {
      mentions,
      states,
      actions,
    })
    expect(east.days).toEqual([FRI - HOUR, SAT - HOUR, SUN - HOUR, MON - HOUR])
    expect(east.volume.map((day) => day.total)).toEqual([3, 1, 0, 3])
  })
})

describe('drill-down', () => {
  const terms = settings.terms
  const list = (spec: Parameters<typeof drillMatcher>[0]) => {
    const match = drillMatcher(spec, terms)
    const byId = new Map(states.map((state) => [state.id, state]))
    return mentions.filter((m) => match(m, byId.get(m.id))).map((m) => m.id)
  }

  it('lists exactly the mentions a figure counted', () => {
    expect(list({ title: 'Friday, mast', from: FRI, to: SAT, sourceId: 'mast' })).toEqual([
      'm1',
      'm2',
    ])
    expect(
      list({ title: 'social.example', from: FRI, to: TUE, community: 'social.example' }),
    ).toEqual(['m1', 'm5', 'm9'])
    expect(list({ title: 'Products, Monday', from: MON, to: TUE, termKind: 'product' })).toEqual([
      'm7',
    ])
    expect(
      list({
        title: 'Directed negative Monday',
        from: MON,
        to: TUE,
        directed: true,
        sentiment: 'negative',
      }),
    ).toEqual(['m9'])
    expect(list({ title: 'Conversations', from: FRI, to: TUE, conversation: true })).toEqual([
      'm1',
      'm2',
      'm5',
      'm9',
    ])
    expect(list({ title: 'Issue', from: FRI, to: SAT, ids: ['m2', 'm4'] })).toEqual(['m2'])
  })

  it("the figures' own counts match their drill-downs", () => {
    for (const day of report.volume) {
      for (const [sourceId, count] of Object.entries(day.bySource)) {
        expect(list({ title: '', from: day.day, to: day.day + 24 * HOUR, sourceId })).toHaveLength(
          count,
        )
      }
    }
  })
})

describe('CSV export', () => {
  it('writes every figure as its own section, quotes guarded against formulas', () => {
    const withFormula = buildReport(settings, utc, {
      mentions: mentions.map((m) => (m.id === 'm2' ? { ...m, text: '=refund never came' } : m)),
      states,
      actions,
    })
    const csv = reportCsv(withFormula, {
      dayName: (day) => new Date(day).toISOString().slice(0, 10),
      sourceName: (id) => (id === 'mast' ? 'Mastodon, social' : id),
    })
    const lines = csv.split('\r\n')
    expect(lines.slice(0, 6)).toEqual([
      'Volume per day',
      'day,total,blog,hn,"Mastodon, social",red,brand,product,competitor',
      '2026-11-20,3,1,0,2,0,3,1,0',
      '2026-11-21,1,0,0,0,1,1,0,1',
      '2026-11-22,0,0,0,0,0,0,0,0',
      '2026-11-23,3,0,1,2,0,2,1,0',
    ])
    expect(lines).toContain('response rate %,75')
    expect(lines).toContain('first response 90th percentile (business minutes),108')
    expect(lines).toContain('hours per day,0.33,0.67')
    expect(lines).toContain('share of one full-time person %,4.2,8.3')
    expect(lines).toContain('2026-11-20,refund,2,Acme Pay refund missing.')
    expect(csv).not.toMatch(/(^|,)=refund/m)
  })
})
