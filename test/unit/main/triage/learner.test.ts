import { describe, expect, it } from 'vitest'
import {
  createTriage,
  learnCorrection,
  triageText,
  type TriageOptions,
} from '../../../../src/main/triage/index'
import {
  createLearner,
  MAX_WORDS,
  parseLearnerFile,
  type Correction,
  type Learner,
} from '../../../../src/main/triage/learner'
import { URGENT_AT, type BrandProfile, type HeardMention } from '../../../../src/shared/domain'
import { tokenize } from '../../../../src/shared/tokens'

const acme: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'x', handle: '@acme' }],
  products: [],
  competitors: [],
  excluded: [],
}

const places = ['Denver', 'Boston', 'Austin', 'Chicago', 'Dallas', 'Miami', 'Seattle', 'Newark']
const bagPost = (i: number) => `@acme my bag is still in ${places[i % places.length]}, day ${i}`
const loungePost = (i: number) =>
  `@acme what time does the lounge in ${places[i % places.length]} open?`

const teach = (learner: Learner, text: string, correction: Correction, options?: TriageOptions) =>
  learnCorrection(learner, text, acme, correction, options)

/** A responder who keeps marking "my bag is still in ..." negative, and a few questions neutral. */
function bagsAreBad(times = 24): Learner {
  const learner = createLearner()
  for (let i = 0; i < times; i++) {
    teach(learner, bagPost(i), { sentiment: 'negative' })
    if (i % 4 === 0) teach(learner, loungePost(i), { sentiment: 'neutral' })
  }
  return learner
}

const learnedCodes = (text: string, learner: Learner) =>
  triageText(text, acme, { learner })
    .reasons.map((r) => r.code)
    .filter((code) => code.startsWith('learned:'))

const samples = [
  '@acme I was charged twice and still no refund, this is the worst',
  'Loving the new Acme dashboard ❤️',
  '@acme my bag is still in Phoenix',
  'Saw an Acme billboard on the way to work',
  '@acme is the lounge in Phoenix open?',
]

describe('learner', () => {
  it('changes nothing before the first correction', () => {
    const learner = createLearner()
    for (const text of samples) {
      expect(triageText(text, acme, { learner })).toEqual(triageText(text, acme))
    }
    expect(learner.summary()).toEqual({
      corrections: 0,
      byKind: { sentiment: 0, intent: 0, urgent: 0 },
      updatedAt: null,
    })
  })

  it('turns a post the rules call neutral negative after enough similar corrections', () => {
    expect(triageText('@acme my bag is still in Phoenix', acme).sentiment.label).toBe('neutral')
    const learner = bagsAreBad()
    const after = triageText('@acme my bag is still in Phoenix', acme, { learner })
    expect(after.sentiment.label).toBe('negative')
    expect(after.reasons[0]).toEqual({
      code: 'learned:sentiment',
      label: 'Learned from your corrections: negative',
      points: 0,
    })
    // Urgency follows the learned label through the usual rules.
    expect(after.reasons.map((r) => r.code)).toContain('negative')
    expect(after.urgency).toBeGreaterThan(
      triageText('@acme my bag is still in Phoenix', acme).urgency,
    )
  })

  it('leaves dissimilar posts to the rules', () => {
    const learner = bagsAreBad()
    for (const text of [
      '@acme thanks, lovely crew today',
      'Saw an Acme billboard on the way to work',
      '@acme is the lounge in Phoenix open?',
    ]) {
      expect(triageText(text, acme, { learner })).toEqual(triageText(text, acme))
    }
  })

  it('reads the words after a negation, to the end of its clause, as negated too', () => {
    const words = createLearner().features({
      tokens: tokenize('@acme they did not call me back. Call me today'),
      ignore: new Set(),
      sentiment: { score: 0, comparative: 0, label: 'neutral', words: [] },
      intent: 'other',
      cues: [],
      question: false,
      directed: true,
    }).text
    // "not call" can learn a sign of its own, and the post is still about calling back.
    expect(words).toEqual(expect.arrayContaining(['t:not call', 't:not back', 't:call', 't:back']))
    expect(words).not.toContain('t:not today')
    expect(words).not.toContain('t:not did')
  })

  it('does not override the rules on the strength of one correction', () => {
    const learner = createLearner()
    teach(learner, bagPost(0), { sentiment: 'negative' })
    expect(learner.summary().corrections).toBe(1)
    expect(triageText(bagPost(0), acme, { learner }).sentiment.label).toBe('neutral')
    expect(learnedCodes(bagPost(0), learner)).toEqual([])
  })

  it('learns intent, and "urgent" with points that carry the post over the line', () => {
    const learner = createLearner()
    for (let i = 0; i < 24; i++) {
      teach(learner, `@acme the app should have a ${places[i % 8]} map, ${i}`, { intent: 'idea' })
      teach(learner, bagPost(i), { urgent: true })
      if (i % 3 === 0) teach(learner, loungePost(i), { urgent: false, intent: 'question' })
    }
    const idea = triageText('@acme the app should have a Phoenix map', acme, { learner })
    expect(triageText('@acme the app should have a Phoenix map', acme).intent).toBe('other')
    expect(idea.intent).toBe('idea')
    expect(idea.reasons.map((r) => r.label)).toContain('Learned from your corrections: idea')

    const before = triageText('@acme my bag is still in Phoenix', acme)
    expect(before.urgency).toBeLessThan(URGENT_AT)
    const urgent = triageText('@acme my bag is still in Phoenix', acme, { learner })
    expect(urgent.urgency).toBe(URGENT_AT)
    expect(urgent.reasons).toContainEqual({
      code: 'learned:urgent',
      label: 'Learned from your corrections: urgent',
      points: URGENT_AT - before.urgency,
    })
    expect(
      triageText('@acme is the lounge in Phoenix open?', acme, { learner }).urgency,
    ).toBeLessThan(URGENT_AT)
  })

  it('keeps class balance: a pile of one label does not make everything that label', () => {
    const learner = createLearner()
    const complaints = [
      'the flight was late again',
      'my seat was broken the whole way',
      'the gate agent was rude to us',
      'we sat on the runway for ages',
      'the wifi never worked on board',
      'my bag came back torn',
    ]
    for (let i = 0; i < 60; i++) {
      teach(learner, `@acme ${complaints[i % complaints.length]} (${places[i % 8]})`, {
        sentiment: 'negative',
      })
      if (i % 10 === 0) {
        teach(learner, `@acme great crew on the ${places[i % 8]} flight, thank you`, {
          sentiment: 'positive',
        })
        teach(learner, `@acme which terminal do you use in ${places[i % 8]}?`, {
          sentiment: 'neutral',
        })
      }
    }
    expect(learner.summary().byKind.sentiment).toBe(72)
    for (const text of [
      '@acme lovely crew, thank you for the upgrade',
      '@acme which terminal in Phoenix?',
      'Saw an Acme plane over the park this morning',
    ]) {
      expect(triageText(text, acme, { learner }).sentiment.label).toBe(
        triageText(text, acme).sentiment.label,
      )
    }
    expect(
      triageText('@acme the flight was late again (Phoenix)', acme, { learner }).sentiment.label,
    ).toBe('negative')
  })

  it('goes back to the rules after a reset', () => {
    const learner = bagsAreBad()
    expect(learnedCodes('@acme my bag is still in Phoenix', learner)).toEqual(['learned:sentiment'])
    learner.reset()
    expect(learner.summary().corrections).toBe(0)
    for (const text of samples) {
      expect(triageText(text, acme, { learner })).toEqual(triageText(text, acme))
    }
  })

  it('exports to JSON and imports to the same verdicts', () => {
    const learner = bagsAreBad()
    teach(learner, '@acme the app should have a map', { intent: 'idea', urgent: false }, {})
    const json = JSON.stringify(learner.toJSON())
    const parsed = parseLearnerFile(JSON.parse(json))
    if (!parsed.ok) throw new Error(parsed.problem)
    const copy = createLearner(parsed.file)
    expect(copy.summary()).toEqual(learner.summary())
    for (const text of samples) {
      expect(triageText(text, acme, { learner: copy })).toEqual(triageText(text, acme, { learner }))
    }
  })

  it('refuses a malformed saved model with a reason instead of throwing', () => {
    const good = bagsAreBad(4).toJSON()
    const bad = [
      null,
      'model',
      { ...good, version: 2 },
      { ...good, corrections: { sentiment: -1, intent: 0, urgent: 0 } },
      { ...good, words: [['t:x', 1, [1, 2], []]] },
      { ...good, weights: [['r:bias', Array(10).fill(Number.MAX_VALUE)]] },
    ]
    for (const value of bad) {
      const parsed = parseLearnerFile(value)
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.problem.length).toBeGreaterThan(0)
    }
  })

  it('caps its vocabulary, pruning the rarest words', () => {
    const learner = createLearner()
    // Distinct made-up words, ten a post: far more than the cap.
    const word = (n: number) => `w${n.toString(36)}x`
    for (let post = 0; post < 1_300; post++) {
      const text = Array.from({ length: 10 }, (_, k) => word(post * 10 + k)).join(' ')
      teach(learner, `@acme ${text} awful`, { sentiment: post % 2 ? 'negative' : 'neutral' })
    }
    const saved = learner.toJSON()
    expect(saved.words.length).toBeLessThanOrEqual(MAX_WORDS)
    // "awful" is in every post: a frequent word survives pruning.
    expect(saved.words.some(([name]) => name === 't:awful')).toBe(true)
    expect(parseLearnerFile(JSON.parse(JSON.stringify(saved))).ok).toBe(true)
  })

  it('scores new mentions with the learner in the triage stage', () => {
    const learner = bagsAreBad()
    const heard: HeardMention = {
      id: 'x:1',
      sourceId: 'demo',
      platform: 'demo',
      url: null,
      author: { id: 'x:ana', name: 'Ana' },
      text: '@acme my bag is still in Phoenix',
      createdAt: 1_000,
      fetchedAt: 1_000,
    }
    const plain = createTriage(() => acme).score(heard, 2_000)
    const taught = createTriage(
      () => acme,
      () => learner,
    ).score(heard, 2_000)
    expect(plain.triage.sentiment.label).toBe('neutral')
    expect(taught.triage.sentiment.label).toBe('negative')
  })
})
