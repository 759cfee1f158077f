import { describe, expect, it } from 'vitest'
import { triageText } from '../../../../src/main/triage/index'
import type { BrandProfile } from '../../../../src/shared/domain'

const acme: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'x', handle: '@acme' }],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: [],
}

const intent = (text: string) => triageText(text, acme).intent
const codes = (text: string) => triageText(text, acme).reasons.map((r) => r.code)

describe('intent', () => {
  it('hears complaints: trouble said with feeling', () => {
    for (const text of [
      '@acme I was charged twice and still no refund, this is the worst',
      'Acme Cloud keeps crashing and support is useless',
      '@acme where is my parcel? Ordered two weeks ago',
      'Never again with Acme, terrible service',
    ]) {
      expect(intent(text), text).toBe('complaint')
    }
  })

  it('hears questions: question marks, interrogatives and "how do I"', () => {
    for (const text of [
      'How do I export my invoices from Acme Cloud?',
      'is there a way to share an Acme board with a guest',
      '@acme can you tell me when the Berlin store opens',
      'Does anyone know if Acme supports SSO on the small plan?',
    ]) {
      expect(intent(text), text).toBe('question')
    }
  })

  it('hears praise: positive and thankful', () => {
    for (const text of [
      '@acme thank you, the support team was amazing!',
      'Loving the new Acme dashboard ❤️',
      'Shout out to the Acme team, great job on the new release',
    ]) {
      expect(intent(text), text).toBe('praise')
    }
  })

  it('hears ideas: wishes and feature requests', () => {
    for (const text of [
      'It would be great if Acme added a dark mode',
      'Feature request for @acme: export to CSV',
      'Acme Cloud should add two-factor login with a hardware key',
      'I wish the Acme app had offline maps',
      '@acme please add a way to pause my subscription',
    ]) {
      expect(intent(text), text).toBe('idea')
    }
  })

  it('leaves news and small talk as other', () => {
    expect(intent('Acme opens a new office in Lisbon')).toBe('other')
    expect(intent('Meeting the Acme folks at the conference tomorrow')).toBe('other')
  })

  it('reads a positive word followed by a failure as sarcasm', () => {
    expect(intent('great, another Acme outage')).toBe('complaint')
    expect(intent('Love it when the Acme app crashes mid-payment')).toBe('complaint')
    // Thanks for a fix is still praise.
    expect(intent('Thanks @acme for fixing the crash so fast, great work')).toBe('praise')
  })

  it('settles mixed posts: a complaint asked as a question stays a complaint', () => {
    expect(intent('@acme why is my refund still not here?')).toBe('complaint')
    // A polite question with no trouble in it is a question, even with thanks.
    expect(intent('Thanks! How do I change my Acme username?')).toBe('question')
  })

  it('adds urgency for a complaint, none for praise or an idea', () => {
    expect(codes('great, another Acme outage')).toContain('intent:complaint')
    expect(codes('@acme thank you, the support team was amazing!')).not.toContain(
      'intent:complaint',
    )
    const idea = triageText('It would be great if Acme added a dark mode', acme)
    expect(idea.reasons.map((r) => r.code)).not.toContain('intent:complaint')
  })
})
