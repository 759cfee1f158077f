import { z } from 'zod'
import type { Mention, Reason } from './domain'

/* A hand-off packet: what a department needs to act on a mention without opening Earshot. Pure. */

export const handoffPacketSchema = z
  .object({
    /** One line: who, where, what, how urgent. */
    summary: z.string().min(1).max(300),
    /** The customer's own words, as posted. */
    words: z.string().max(20_000),
    /** The author's history with the brand, a line each. */
    history: z.array(z.string().max(500)).max(20),
    /** The post, the author's profile. */
    links: z.array(z.string().max(4096)).max(10),
    /** Why it is urgent, as the triage chips say it. */
    reasons: z.array(z.string().max(120)).max(24),
    /** The responder's note to the department. */
    note: z.string().max(2000),
  })
  .strict()
export type HandoffPacket = z.infer<typeof handoffPacketSchema>

/** The author's past with the brand, as the context panel knows it. */
export type AuthorPast = {
  /** Other mentions by this author Earshot holds, on any source. */
  otherMentions: number
  /** Earlier exchanges from the audit log (replies, hand-offs), newest first. */
  exchanges: readonly { at: number; text: string }[]
}

const intentWords: Record<string, string> = {
  complaint: 'Complaint',
  question: 'Question',
  praise: 'Praise',
  idea: 'Idea',
  other: 'Mention',
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10)

/** The packet for one mention: summary, the customer's words, history, links, reasons, note. */
export function buildHandoff(
  mention: Mention,
  past: AuthorPast,
  reasons: readonly Reason[],
  note: string,
): HandoffPacket {
  const { author, triage } = mention
  const who = author.handle ? `${author.name} (${author.handle})` : author.name
  const reach =
    author.followers !== undefined ? `, ${author.followers.toLocaleString('en')} followers` : ''
  const summary = oneLine(
    `${intentWords[triage.intent ?? 'other']} from ${who}${reach} on ${mention.platform}, urgency ${triage.urgency}/100: ${mention.title ?? mention.text}`,
    300,
  )
  const history = [
    past.otherMentions === 0
      ? 'No earlier mentions by this author.'
      : `${past.otherMentions} other ${past.otherMentions === 1 ? 'mention' : 'mentions'} by this author.`,
    ...past.exchanges.slice(0, 19).map((e) => oneLine(`${day(e.at)}: ${e.text}`, 500)),
  ]
  const links = [mention.url, author.url].filter((u): u is string => typeof u === 'string')
  return {
    summary,
    words: (mention.title ? `${mention.title}\n\n${mention.text}` : mention.text).slice(0, 20_000),
    history,
    links,
    reasons: reasons.map((r) => r.label).slice(0, 24),
    note: note.trim().slice(0, 2000),
  }
}

/** The packet as plain text: an e-mail body or the clipboard. */
export function handoffText(packet: HandoffPacket): string {
  const section = (title: string, lines: readonly string[]) =>
    lines.length === 0 ? [] : [`${title}:`, ...lines.map((l) => `- ${l}`), '']
  return [
    packet.summary,
    '',
    'In their words:',
    ...packet.words.split('\n').map((l) => `> ${l}`),
    '',
    ...(packet.note ? ['Note from the responder:', packet.note, ''] : []),
    ...section('Why it is urgent', packet.reasons),
    ...section('History', packet.history),
    ...section('Links', packet.links),
  ]
    .join('\n')
    .trimEnd()
}

// Slack's mrkdwn needs &, < and > escaped; its section text is capped at 3000 characters.
const mrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 2900)

/** The packet as Slack-compatible webhook JSON: `text` for every client, `blocks` for Slack. */
export function handoffSlack(packet: HandoffPacket): { text: string; blocks: unknown[] } {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } })
  const quoted = packet.words
    .split('\n')
    .map((l) => `>${mrkdwn(l)}`)
    .join('\n')
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: packet.summary.slice(0, 150) } },
    section(`*In their words*\n${quoted}`.slice(0, 2900)),
  ]
  if (packet.note) blocks.push(section(`*Note from the responder*\n${mrkdwn(packet.note)}`))
  if (packet.reasons.length > 0) {
    blocks.push(section(`*Why it is urgent*\n${mrkdwn(packet.reasons.join(' · '))}`))
  }
  blocks.push(section(`*History*\n${packet.history.map((h) => `• ${mrkdwn(h)}`).join('\n')}`))
  if (packet.links.length > 0) {
    blocks.push(section(packet.links.map((l) => `<${l.replace(/[<>|]/g, '')}>`).join('\n')))
  }
  return { text: handoffText(packet), blocks }
}

/** A `mailto:` draft with the packet, shortened to fit the 2048-character link limit. */
export function handoffMailto(to: string, packet: HandoffPacket, maxLength = 2048): string {
  const subject = encodeURIComponent(packet.summary.slice(0, 150))
  const head = `mailto:${encodeURIComponent(to).replace(/%40/g, '@')}?subject=${subject}&body=`
  let body = handoffText(packet)
  const shortened = '\n\n[Shortened: the full hand-off is on the clipboard.]'
  let url = head + encodeURIComponent(body)
  while (url.length > maxLength && body.length > 0) {
    body = body.slice(0, Math.max(0, body.length - Math.max(50, url.length - maxLength)))
    // Never half a surrogate pair: encodeURIComponent throws on one.
    body = body.replace(/[\uD800-\uDBFF]$/, '')
    url = head + encodeURIComponent(body + shortened)
  }
  return url
}
