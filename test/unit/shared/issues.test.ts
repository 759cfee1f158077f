import { describe, expect, it } from 'vitest'
import { keysOf, topIssues, wordsOf } from '../../../src/shared/issues'
import type { Mention, SentimentLabel } from '../../../src/shared/domain'

const day = Date.parse('2026-11-20T00:00:00Z')
const hour = 3600_000

function post(id: string, text: string, label: SentimentLabel, score: number, at = day): Mention {
  return {
    id,
    sourceId: 'forum',
    platform: 'rss',
    url: null,
    author: { id: `rss:forum#${id}`, name: id },
    text,
    createdAt: at,
    fetchedAt: at,
    triage: {
      sentiment: { score, comparative: score / 10, label, words: [] },
      directed: false,
      urgency: 0,
      reasons: [],
      matched: text.includes('Acme') ? ['Acme'] : [],
    },
  }
}

// Hand-counted: "login error" in n3, n4, n5; "refund(s)" in n1, n2, n5; everything else once.
const mentions = [
  post('n1', 'Still no refund from Acme after three weeks', 'negative', -2, day + 1 * hour),
  post('n2', '@acme where are my refunds?? two orders cancelled', 'negative', -3, day + 2 * hour),
  post(
    'n3',
    'Login error again on the Acme app. Login errors all week!',
    'negative',
    -3,
    day + 3 * hour,
  ),
  post('n4', 'Acme login error, cannot pay my bill', 'negative', -2, day + 4 * hour),
  post('n5', 'refund still missing and the login error is back', 'negative', -4, day + 5 * hour),
  // Praise and posts outside the window do not count.
  post('n6', 'Login error fixed, thanks Acme', 'positive', 2, day + 6 * hour),
  post('n7', 'refund refund, where is my refund, Acme', 'negative', -4, day - hour),
]

describe('topIssues', () => {
  it('groups negative mentions of the window by key phrase, with counts and ids', () => {
    const issues = topIssues(mentions, { from: day, to: day + 24 * hour })
    expect(issues.map(({ phrase, count, mentionIds }) => ({ phrase, count, mentionIds }))).toEqual([
      { phrase: 'login error', count: 3, mentionIds: ['n3', 'n4', 'n5'] },
      { phrase: 'refund', count: 3, mentionIds: ['n1', 'n2', 'n5'] },
    ])
  })

  it('quotes the customers, angriest first, one sentence each', () => {
    const [login] = topIssues(mentions, { from: day, to: day + 24 * hour })
    expect(login?.quotes).toEqual([
      'refund still missing and the login error is back',
      'Login error again on the Acme app.',
      'Acme login error, cannot pay my bill',
    ])
  })

  it("never makes an issue of the brand's own name", () => {
    const issues = topIssues(mentions, { from: day, to: day + 24 * hour, minCount: 1, limit: 50 })
    expect(issues.map((issue) => issue.phrase).join(' ')).not.toContain('acme')
    expect(issues.map((issue) => issue.phrase)).toContain('order cancelled')
  })

  it('respects the limit and the window edges', () => {
    expect(topIssues(mentions, { from: day, to: day + 24 * hour, limit: 1 })).toHaveLength(1)
    // From the hour before: n7 joins "refund", which now leads.
    const wider = topIssues(mentions, { from: day - hour, to: day + 24 * hour, limit: 1 })
    expect(wider[0]).toMatchObject({ phrase: 'refund', count: 4 })
    // `to` is exclusive: the window ending at n5's minute leaves it out.
    const early = topIssues(mentions, { from: day, to: day + 5 * hour })
    expect(early.map((issue) => [issue.phrase, issue.count])).toEqual([
      ['login error', 2],
      ['refund', 2],
    ])
  })
})

describe('wordsOf', () => {
  it('gives the single-word keys of keysOf: no stop words, no names, plurals folded', () => {
    const text = 'Acme refunds still missing after the app crashes, refund please'
    const names = new Set(['acme'])
    const words = wordsOf(text.toLowerCase(), names)
    expect([...words].sort()).toEqual(['app', 'crashe', 'missing', 'refund'])
    const unigrams = [...keysOf(text.toLowerCase(), names)].filter((key) => !key.includes(' '))
    expect([...words].sort()).toEqual(unigrams.sort())
  })
})
