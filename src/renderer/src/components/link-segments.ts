import { isSafeExternal } from '../../../shared/external-url'

/** A run of a post's text: plain, or a link that may be opened in the system browser. */
export type Segment = { text: string; url?: string }

// A candidate starts at an explicit http(s) scheme and runs to the next whitespace or a character
// that never belongs in a link written in prose (quotes, angle brackets). `www.` without a scheme
// is left as text: guessing the scheme would open a link the author never wrote.
const candidate = /https?:\/\/[^\s<>"'`]+/gi

// Prose punctuation that ends a sentence rather than the link: "see https://x.example/a." ends at
// "a". A closing bracket stays when the link opened one itself (Wikipedia-style paths).
const trailing = /[.,;:!?…]+$/u
const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' }

function trimLink(raw: string): string {
  let link = raw
  for (;;) {
    const before = link
    link = link.replace(trailing, '')
    const last = link.at(-1)
    const opener = last === undefined ? undefined : closers[last]
    if (opener !== undefined) {
      const opened = link.split(opener).length - 1
      const closed = link.split(last as string).length - 1
      if (closed > opened) link = link.slice(0, -1)
    }
    if (link === before) return link
  }
}

/**
 * Splits a post's plain text into text and links. Only links `isSafeExternal` accepts become links
 * (the same gate main applies before opening one), so a hostile post's `javascript:`, credentials
 * or hidden-character tricks stay inert text. The link's text is always its own address: a post
 * cannot show one address and open another.
 */
export function linkSegments(text: string): Segment[] {
  const segments: Segment[] = []
  let plainFrom = 0
  for (const match of text.matchAll(candidate)) {
    const link = trimLink(match[0])
    if (!isSafeExternal(link)) continue
    const at = match.index
    if (at > plainFrom) segments.push({ text: text.slice(plainFrom, at) })
    segments.push({ text: link, url: link })
    plainFrom = at + link.length
  }
  if (plainFrom < text.length || segments.length === 0) {
    segments.push({ text: text.slice(plainFrom) })
  }
  return segments
}
