/* Text helpers that triage (main) and reports (renderer, Web Worker) both read mentions with. */
import type { HeardMention } from './domain'

/**
 * Text that NFD leaves alone and that holds no mark: ASCII, general punctuation (curly quotes,
 * dashes, the ellipsis, zero-width joiners), arrows, dingbats and miscellaneous symbols, and the
 * emoji planes (U+1F000 to U+1FBFF, as surrogate pairs). Variation selectors are marks: not here.
 */
const plainChar = '[\\u0000-\\u007f\\u200b-\\u200f\\u2010-\\u205e\\u2190-\\u2199\\u2600-\\u27bf]'
const plain = new RegExp(`^${plainChar}*(?:[\\ud83c-\\ud83e][\\udc00-\\udfff]${plainChar}*)*$`)

/** Lower case without accents, so "Café Düsseldorf" finds "cafe dusseldorf". */
export function fold(text: string): string {
  // Most posts are plain ASCII, many with an emoji or typographic punctuation: none of those has
  // a decomposition or is a mark, so normalizing them (a third of triage's folding) changes nothing.
  if (plain.test(text)) return text.toLowerCase()
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
}

/** What triage reads of a mention: the title too, unless the text already starts with it. */
export function mentionText(heard: Pick<HeardMention, 'title' | 'text'>): string {
  const title = heard.title?.trim()
  if (!title || heard.text.startsWith(title)) return heard.text
  return `${title}\n${heard.text}`
}
