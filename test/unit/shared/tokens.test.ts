import { describe, expect, it } from 'vitest'
import { tokenize } from '../../../src/shared/tokens'

const texts = (text: string) => tokenize(text).map((t) => t.text)

describe('tokenize', () => {
  it('lower-cases words and keeps contractions whole', () => {
    expect(texts("Don't LOVE it’s")).toEqual(["don't", 'love', "it's"])
  })

  it('skips links and @handles in all their forms, but reads #hashtags as words', () => {
    expect(
      texts('@united @ana@example.social @acme.bsky.social see https://x.co/a?b=c #fail'),
    ).toEqual(['see', 'fail'])
  })

  it('reads emoji and emoticons, normalising the many ways of writing one', () => {
    expect(texts('ok 😡 ❤️ :-( :)) ;) <3 &lt;3 :D')).toEqual([
      'ok',
      '😡',
      '❤',
      ':(',
      ':)',
      ';)',
      '<3',
      '<3',
      ':d',
    ])
  })

  it('does not take times, ratios or "Re:" for emoticons', () => {
    expect(texts('at 10:30 Re: Delayed')).toEqual(['at', '10', '30', 're', 'delayed'])
  })

  it('marks clause breaks, with a question wherever a ? is', () => {
    const tokens = tokenize('why?! fine, ok… done\nnext')
    expect(tokens.filter((t) => t.kind === 'break').map((t) => t.text)).toEqual([
      '?',
      ',',
      '.',
      '\n',
    ])
  })

  it('notices words written in capitals', () => {
    expect(tokenize('the WORST I').map((t) => t.shouted)).toEqual([false, true, false])
  })

  it('keeps letters beyond ASCII', () => {
    expect(texts('Café Düsseldorf naïve')).toEqual(['café', 'düsseldorf', 'naïve'])
  })
})
