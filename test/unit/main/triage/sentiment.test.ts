import Sentiment from 'sentiment'
import { describe, expect, it } from 'vitest'
import { analyzeSentiment, labelOf } from '../../../../src/main/triage/sentiment'

const label = (text: string) => analyzeSentiment(text).label
const score = (text: string) => analyzeSentiment(text).score

describe('analyzeSentiment', () => {
  it('reads an angry complaint as negative and says which words drove it', () => {
    const result = analyzeSentiment('I was charged twice and still no refund, this is the worst')
    expect(result.label).toBe('negative')
    expect(result.words).toEqual(['-charged twice', '-still no', '-refund', '-worst'])
    expect(result.comparative).toBeLessThan(0)
  })

  it('reads praise with emoji as positive', () => {
    expect(label('Loving the new Acme dashboard ❤️')).toBe('positive')
    expect(label('thanks so much 🙌 :)')).toBe('positive')
  })

  it('knows customer-care complaints the plain AFINN lexicon misses', () => {
    const plain = new Sentiment()
    for (const text of [
      'been on hold for 45 minutes',
      'my order never arrived',
      'the app is down again',
      "I still haven't received my order",
      "I can't log in",
      'checkout is so slow today',
      'the site is unusable on my phone',
      'the hotel was overbooked',
    ]) {
      expect(plain.analyze(text).score, text).toBeGreaterThanOrEqual(0)
      expect(label(text), text).toBe('negative')
    }
  })

  it('does not count a plea for help as praise', () => {
    // AFINN scores "help" and "please" as positive; in a care queue they mean trouble or nothing.
    expect(new Sentiment().analyze('please help').score).toBeGreaterThan(0)
    expect(label('please help')).toBe('neutral')
  })

  describe('negation', () => {
    it('"not bad at all" is not negative', () => {
      expect(label('not bad at all')).not.toBe('negative')
      expect(analyzeSentiment('not bad at all').words).toEqual(['+not bad'])
    })

    it('reaches a few words ahead, within the clause', () => {
      expect(label('this is not very good')).toBe('negative')
      expect(label("it wasn't really that good")).toBe('negative')
      expect(label('not now, good job')).toBe('positive')
    })

    it('reads a negation that flips nothing as a failure', () => {
      expect(label("the page doesn't load")).toBe('negative')
      expect(label('never came')).toBe('negative')
      expect(label('without a fee')).toBe('neutral')
    })

    it('keeps idioms whole', () => {
      expect(label("can't wait to fly again")).toBe('positive')
      expect(label("couldn't be happier")).toBe('positive')
      expect(label('no problem at all')).toBe('positive')
    })
  })

  it('strengthens words after an intensifier and softens them after "a bit"', () => {
    expect(score('very bad')).toBeLessThan(score('bad'))
    expect(score('a bit bad')).toBeGreaterThan(score('bad'))
  })

  it('weighs capitals as emphasis, unless the whole post is shouted', () => {
    expect(score('the WORST service')).toBeLessThan(score('the worst service'))
    expect(score('THE WORST SERVICE')).toBe(score('the worst service'))
  })

  it('weighs what follows "but" over what came before', () => {
    expect(label('The crew was great but the flight was delayed for hours')).toBe('negative')
  })

  it('counts a stated wait', () => {
    expect(analyzeSentiment('waited 3 hours').words).toContain('-3 hours')
    // Abbreviated units too: "a 40 min delay", "stuck 2 hr on the tarmac".
    expect(analyzeSentiment('a 40 min delay').words).toContain('-40 min')
    expect(analyzeSentiment('stuck 2 hr on the tarmac').words).toContain('-2 hr')
  })

  it('leaves the brand’s own name out of the score', () => {
    const plain = analyzeSentiment('Flying United today')
    const branded = analyzeSentiment('Flying United today', { ignore: new Set(['united']) })
    expect(plain.words).toEqual(['+united'])
    expect(branded.score).toBe(0)
  })

  it('does not let a closing thanks cancel a complaint or turn a question into praise', () => {
    expect(label('There was a problem with the link in the email. Thanks')).toBe('negative')
    expect(label('The page never loads. thx!')).toBe('negative')
    expect(label('Is there any way to speak to a person today? Thank you.')).toBe('neutral')
    // Thanks that are the post, or close a post that was glad already, still count.
    expect(label('thanks!')).toBe('positive')
    expect(label('Thank you for the quick fix')).toBe('positive')
    expect(score('Great crew. Thanks!')).toBeGreaterThan(score('Great crew.'))
  })

  it('reads praise the writer tags as sarcasm as a complaint', () => {
    expect(label('They hung up on me. This is awesome.')).not.toBe('negative')
    const tagged = analyzeSentiment('They hung up on me. This is awesome. #sarcasm')
    expect(tagged.label).toBe('negative')
    expect(tagged.words).toEqual(['-hung up', '-awesome'])
  })

  it('is neutral for nothing at all', () => {
    expect(analyzeSentiment('')).toEqual({ score: 0, comparative: 0, label: 'neutral', words: [] })
  })
})

describe('labelOf', () => {
  it('splits at the calibrated thresholds', () => {
    expect(labelOf(-1)).toBe('negative')
    expect(labelOf(-0.5)).toBe('neutral')
    expect(labelOf(0.75)).toBe('neutral')
    expect(labelOf(1)).toBe('positive')
  })
})
