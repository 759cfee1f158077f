/* Text helpers that triage (main) and reports (renderer, Web Worker) both read mentions with. */
import type { HeardMention } from './domain'

/** Lower case without accents, so "Café Düsseldorf" finds "cafe dusseldorf". */
export function fold(text: string): string {
  // Most posts are plain ASCII; skipping normalization for them keeps triage fast.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase()
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
