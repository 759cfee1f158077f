import { describe, expect, it } from 'vitest'
import type { Cue } from '../../../../src/main/triage/cues'
import {
  DEFAULT_WEIGHTS,
  formatCount,
  scoreUrgency,
  type UrgencySignals,
} from '../../../../src/main/triage/urgency'

const calm: UrgencySignals = {
  sentiment: { score: 0, label: 'neutral' },
  directed: false,
  cues: [],
  question: false,
  competitors: [],
}
const refund: Cue = { kind: 'complaint', group: 'refund', label: 'refund', words: 'refund' }
const waiting: Cue = { kind: 'complaint', group: 'waiting', label: 'no answer', words: 'on hold' }
const legal: Cue = { kind: 'crisis', group: 'legal', label: 'legal threat', words: 'lawyer' }
const security: Cue = { kind: 'crisis', group: 'security', label: 'security', words: 'hacked' }

const codes = (signals: UrgencySignals) => scoreUrgency(signals).reasons.map((r) => r.code)

describe('scoreUrgency', () => {
  it('is zero, with no reasons, for a calm overheard mention', () => {
    expect(scoreUrgency(calm)).toEqual({ urgency: 0, reasons: [] })
  })

  it('adds up its reasons, strongest first', () => {
    const { urgency, reasons } = scoreUrgency({
      ...calm,
      directed: true,
      sentiment: { score: -4, label: 'negative' },
      cues: [waiting, refund],
    })
    expect(reasons.map((r) => [r.code, r.points])).toEqual([
      ['complaint:refund', 25],
      ['negative', 22],
      ['directed', 20],
      ['complaint:waiting', 5],
    ])
    expect(urgency).toBe(72)
  })

  it('scales negativity and calls it "very negative" at the cap', () => {
    const mild = scoreUrgency({ ...calm, sentiment: { score: -1, label: 'negative' } })
    const furious = scoreUrgency({ ...calm, sentiment: { score: -12, label: 'negative' } })
    expect(mild.reasons).toEqual([{ code: 'negative', label: 'negative', points: 10 }])
    expect(furious.reasons).toEqual([{ code: 'negative', label: 'very negative', points: 35 }])
  })

  it('pushes a crisis word high on its own, and over the line once negative or directed', () => {
    expect(scoreUrgency({ ...calm, cues: [legal] }).urgency).toBe(60)
    expect(scoreUrgency({ ...calm, cues: [legal], directed: true }).urgency).toBe(80)
    const negative = { score: -1, label: 'negative' } as const
    expect(scoreUrgency({ ...calm, cues: [security], sentiment: negative }).urgency).toBe(70)
    expect(codes({ ...calm, cues: [legal, security] })).toEqual(['crisis:legal', 'crisis:security'])
  })

  it('counts a question only when it is asked of the brand', () => {
    expect(codes({ ...calm, question: true })).toEqual([])
    expect(codes({ ...calm, question: true, directed: true })).toEqual(['directed', 'question'])
  })

  it('tags competitor context', () => {
    expect(scoreUrgency({ ...calm, competitors: ['Globex'] }).reasons).toEqual([
      { code: 'competitor', label: 'mentions Globex', points: 10 },
    ])
  })

  it('weighs reach by tens of followers, from a thousand up, capped', () => {
    const reach = (followers: number) => scoreUrgency({ ...calm, followers }).reasons[0]
    expect(reach(999)).toBeUndefined()
    expect(reach(2400)).toEqual({ code: 'reach', label: '2.4k followers', points: 7 })
    expect(reach(10_000)?.points).toBe(10)
    expect(reach(5_000_000)?.points).toBe(DEFAULT_WEIGHTS.reachMax)
  })

  it('lets praise lower urgency, but never hide a crisis', () => {
    const praise = { score: 6, label: 'positive' } as const
    expect(scoreUrgency({ ...calm, directed: true, sentiment: praise }).urgency).toBe(0)
    expect(codes({ ...calm, sentiment: praise, cues: [security] })).toEqual(['crisis:security'])
  })

  it('marks a post first heard days after it was written', () => {
    const { reasons } = scoreUrgency({ ...calm, directed: true, ageMs: 5 * 24 * 3600_000 })
    expect(reasons.at(-1)).toEqual({ code: 'stale', label: '5 days old', points: -20 })
  })

  it('stays within 0..100', () => {
    const all = scoreUrgency({
      sentiment: { score: -20, label: 'negative' },
      directed: true,
      cues: [refund, waiting, legal, security],
      question: true,
      competitors: ['Globex'],
      followers: 1e6,
    })
    expect(all.urgency).toBe(100)
  })

  it('takes other weights, e.g. learned ones', () => {
    const weights = { ...DEFAULT_WEIGHTS, directed: 50 }
    expect(scoreUrgency({ ...calm, directed: true }, weights).urgency).toBe(50)
  })
})

describe('formatCount', () => {
  it('writes follower counts the short way', () => {
    expect([950, 2400, 24_000, 999_999, 1_200_000].map(formatCount)).toEqual([
      '950',
      '2.4k',
      '24k',
      '1M',
      '1.2M',
    ])
  })
})
