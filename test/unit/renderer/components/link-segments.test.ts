import { describe, expect, it } from 'vitest'
import { linkSegments } from '../../../../src/renderer/src/components/link-segments'

const links = (text: string) => linkSegments(text).flatMap((s) => (s.url ? [s.url] : []))

describe('links in a post', () => {
  it('turns http and https addresses into links and keeps every character of the text', () => {
    const text = 'Status page https://status.acme.example/incidents/42 and http://acme.example too'
    const segments = linkSegments(text)
    expect(segments.map((s) => s.text).join('')).toBe(text)
    expect(links(text)).toEqual(['https://status.acme.example/incidents/42', 'http://acme.example'])
  })

  it('leaves sentence punctuation and an enclosing bracket out of the link', () => {
    expect(links('See https://acme.example/help.')).toEqual(['https://acme.example/help'])
    expect(links('(details at https://acme.example/a?b=1),')).toEqual([
      'https://acme.example/a?b=1',
    ])
    expect(links('Why?? https://acme.example/faq!?')).toEqual(['https://acme.example/faq'])
  })

  it('keeps brackets the address itself opened', () => {
    expect(links('https://en.wikipedia.example/wiki/Acme_(company) is it')).toEqual([
      'https://en.wikipedia.example/wiki/Acme_(company)',
    ])
  })

  it('stops at quotes and angle brackets around an address', () => {
    expect(links('"https://acme.example/x" <https://acme.example/y>')).toEqual([
      'https://acme.example/x',
      'https://acme.example/y',
    ])
  })

  it('never links what the host would refuse to open', () => {
    const hostile = [
      'javascript:alert(1)',
      'https://user:pass@acme.example/',
      'https://acme.example@evil.example/',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'www.acme.example',
      'https://',
    ]
    for (const text of hostile) expect(links(`see ${text} now`)).toEqual([])
    expect(links(`https://acme.example/${'a'.repeat(2100)}`)).toEqual([])
  })

  it('gives the whole text as one plain run when there is no link, even when empty', () => {
    expect(linkSegments('no links here')).toEqual([{ text: 'no links here' }])
    expect(linkSegments('')).toEqual([{ text: '' }])
  })
})
