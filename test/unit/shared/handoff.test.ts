import { describe, expect, it } from 'vitest'
import { isSafeMailto } from '../../../src/shared/external-url'
import {
  buildHandoff,
  handoffMailto,
  handoffPacketSchema,
  handoffSlack,
  handoffText,
} from '../../../src/shared/handoff'
import type { Mention } from '../../../src/shared/domain'

const mention: Mention = {
  id: 'mastodon:https://mastodon.example/users/erin/statuses/9',
  sourceId: 'mastodon-1',
  platform: 'mastodon',
  url: 'https://mastodon.example/@erin/9',
  author: {
    id: 'mastodon:@erin@mastodon.example',
    name: 'Erin <b>',
    handle: '@erin@mastodon.example',
    url: 'https://mastodon.example/@erin',
    followers: 12_500,
  },
  text: '@acme my refund never came.\nThird time asking!',
  createdAt: Date.parse('2026-10-01T11:00:00Z'),
  fetchedAt: Date.parse('2026-10-01T11:01:00Z'),
  triage: {
    sentiment: { score: -4, comparative: -1, label: 'negative', words: ['-refund'] },
    intent: 'complaint',
    directed: true,
    urgency: 85,
    reasons: [],
    matched: ['Acme'],
  },
}
const reasons = [
  { code: 'negative', label: 'Negative', points: 20 },
  { code: 'crisis:refund', label: 'Refund', points: 30 },
]
const past = {
  otherMentions: 2,
  exchanges: [{ at: Date.parse('2026-09-20T10:00:00Z'), text: 'Replied: Sorry about that!' }],
}

describe('buildHandoff', () => {
  it('holds the summary, the customer’s words, history, links, reasons and the note', () => {
    const packet = buildHandoff(mention, past, reasons, '  Please call her today. ')
    expect(handoffPacketSchema.safeParse(packet).success).toBe(true)
    expect(packet.summary).toBe(
      'Complaint from Erin <b> (@erin@mastodon.example), 12,500 followers on mastodon, urgency 85/100: @acme my refund never came. Third time asking!',
    )
    expect(packet.words).toBe(mention.text)
    expect(packet.history).toEqual([
      '2 other mentions by this author.',
      '2026-09-20: Replied: Sorry about that!',
    ])
    expect(packet.links).toEqual([
      'https://mastodon.example/@erin/9',
      'https://mastodon.example/@erin',
    ])
    expect(packet.reasons).toEqual(['Negative', 'Refund'])
    expect(packet.note).toBe('Please call her today.')
  })

  it('says when the author is new, and leaves out links the source did not give', () => {
    const bare = { ...mention, url: null, author: { id: 'x', name: 'Ana' } }
    const packet = buildHandoff(bare, { otherMentions: 0, exchanges: [] }, [], '')
    expect(packet.history).toEqual(['No earlier mentions by this author.'])
    expect(packet.links).toEqual([])
    expect(packet.summary.startsWith('Complaint from Ana on mastodon')).toBe(true)
  })

  it('renders as text and as Slack JSON with the words quoted and markup escaped', () => {
    const packet = buildHandoff(mention, past, reasons, 'Call <today>')
    const text = handoffText(packet)
    expect(text).toContain('> @acme my refund never came.\n> Third time asking!')
    expect(text).toContain('Note from the responder:\nCall <today>')
    expect(text).toContain('- Refund')
    const slack = handoffSlack(packet)
    expect(slack.text).toBe(text)
    const json = JSON.stringify(slack.blocks)
    expect(json).toContain('Call &lt;today&gt;')
    expect(json).toContain('<https://mastodon.example/@erin/9>')
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: packet.summary.slice(0, 150) },
    })
  })

  it('fits an e-mail draft within the link limit, and the allow-list accepts it', () => {
    const long = { ...mention, text: '💥 everything broke '.repeat(400) }
    const packet = buildHandoff(long, past, reasons, 'note')
    const url = handoffMailto('pr@example.com', packet)
    expect(url.length).toBeLessThanOrEqual(2048)
    expect(isSafeMailto(url)).toBe(true)
    expect(decodeURIComponent(url)).toContain('[Shortened: the full hand-off is on the clipboard.]')
    const short = handoffMailto('pr@example.com', buildHandoff(mention, past, [], ''))
    expect(decodeURIComponent(short.split('body=')[1] ?? '')).toBe(
      handoffText(buildHandoff(mention, past, [], '')),
    )
  })
})
