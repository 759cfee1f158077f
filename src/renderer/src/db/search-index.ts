import type { Mention } from '../../../shared/domain'

/**
 * The word index: one row per mention with the distinct folded words of its title, text and author
 * (a multiEntry index), so a word is an index lookup and a prefix an index range.
 *
 * The row also carries what ranking and the phrase check read, so a search never reads the full
 * mentions (their triage, URLs and author records): at 200,000 mentions that read was a third of
 * a search's time. Rows written before these fields existed lack them; a search reads those
 * mentions instead, so their results are the same, only slower.
 */
export type SearchDoc = {
  id: string
  words: string[]
  /** Every folded word of the searchable text, in order, repeats kept, joined by one space. */
  seq?: string
  /** How many of `seq`'s first words are the title's. */
  titleWords?: number
}

/** Longer runs (hashes, base64, URLs' paths) are cut: nobody types them. */
const MAX_WORD = 40
/** Bounds one mention's index entries; a 20,000-character post keeps its first distinct words. */
const MAX_WORDS_PER_DOC = 400

const MARKS = /\p{M}+/gu
const WORD = /[\p{L}\p{N}]+/gu

/** NFKD, marks stripped, lower-case: "Café" and "cafe" are one word, "ﬁ" is "fi". */
export const fold = (value: string): string =>
  value.normalize('NFKD').replace(MARKS, '').toLowerCase()

/** The folded words of a text, in order, repeats kept (the phrase check reads the order). */
export function tokens(value: string): string[] {
  const found = fold(value).match(WORD)
  if (!found) return []
  return found.map((word) => (word.length > MAX_WORD ? word.slice(0, MAX_WORD) : word))
}

/** Everything a search looks at in one mention, as one text. */
export const searchableText = (mention: Mention): string =>
  `${mention.title ?? ''}\n${mention.text}\n${mention.author.name}\n${mention.author.handle ?? ''}`

export function searchDocFor(mention: Mention): SearchDoc {
  const sequence = tokens(searchableText(mention))
  const words = new Set<string>()
  for (const word of sequence) {
    words.add(word)
    if (words.size >= MAX_WORDS_PER_DOC) break
  }
  return {
    id: mention.id,
    words: [...words],
    // Words hold letters and digits only, so one space joins them without ambiguity.
    seq: sequence.join(' '),
    titleWords: tokens(mention.title ?? '').length,
  }
}

/** What ranking and the phrase check read of one mention: its words in order, the title's apart. */
export type RankText = { sequence: string[]; title: Set<string> }

/** The rank text a search row carries; null for a row written before it carried one. */
export function rankTextOfDoc(doc: SearchDoc): RankText | null {
  if (doc.seq === undefined || doc.titleWords === undefined) return null
  const sequence = doc.seq === '' ? [] : doc.seq.split(' ')
  return { sequence, title: new Set(sequence.slice(0, doc.titleWords)) }
}

/** The rank text read from the mention itself. */
export const rankTextOf = (mention: Mention): RankText => ({
  sequence: tokens(searchableText(mention)),
  title: new Set(tokens(mention.title ?? '')),
})

/** A parsed query: the words that must all be present, and the phrases that must appear in order. */
export type ParsedQuery = {
  /** Folded words; every one must be present. */
  words: string[]
  /** The last word, when unquoted and not followed by a space, also matches as a prefix. */
  prefix: string | null
  /** Each phrase as its folded words, in order. */
  phrases: string[][]
}

/**
 * `refund "late delivery" caf` → words refund, late, delivery; phrase [late, delivery]; prefix
 * caf. Quotes left open run to the end.
 */
export function parseQuery(query: string): ParsedQuery {
  const words: string[] = []
  const phrases: string[][] = []
  let prefix: string | null = null
  const parts = query.split('"')
  parts.forEach((part, index) => {
    const quoted = index % 2 === 1
    const found = tokens(part)
    if (quoted) {
      if (found.length > 1) phrases.push(found)
      words.push(...found)
      return
    }
    const isLast = index === parts.length - 1
    const endsOpen = isLast && found.length > 0 && /[\p{L}\p{N}]$/u.test(part)
    if (endsOpen) {
      prefix = found.pop()!
    }
    words.push(...found)
  })
  const unique = [...new Set(words)]
  // A prefix already present as a whole word adds nothing.
  if (prefix !== null && unique.includes(prefix)) prefix = null
  return { words: unique, prefix, phrases }
}

export const isEmptyQuery = (query: ParsedQuery): boolean =>
  query.words.length === 0 && query.prefix === null

/** True when `sequence` holds `phrase` as consecutive words. */
export function containsPhrase(sequence: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return true
  outer: for (let at = 0; at + phrase.length <= sequence.length; at += 1) {
    for (let offset = 0; offset < phrase.length; offset += 1) {
      if (sequence[at + offset] !== phrase[offset]) continue outer
    }
    return true
  }
  return false
}
