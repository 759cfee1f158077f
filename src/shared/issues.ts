/* The top issues of a time window: what negative mentions keep naming, in the customers' words. */
import type { Mention } from './domain'
import { fold, mentionText } from './text'
import { tokenize, type Token } from './tokens'

export type Issue = {
  /** The key phrase, normalised: lower case, plural `s` stripped, e.g. `app crash`. */
  phrase: string
  /** How many negative mentions in the window name it. */
  count: number
  mentionIds: string[]
  /** Up to three short sentences from those mentions, as written. */
  quotes: string[]
}

export type IssueWindow = {
  /** Epoch ms, inclusive. */
  from: number
  /** Epoch ms, exclusive. */
  to: number
  limit?: number
  /** Phrases named by fewer mentions are anecdotes, not issues. */
  minCount?: number
}

const words = (list: string): string[] => list.trim().split(/\s+/)

/** Quotes an issue carries. */
export const QUOTES = 3
const QUOTE_MAX = 140

/** Words that say nothing about what went wrong; negators included ("no", "never"). */
const stopWords: ReadonlySet<string> = new Set(
  words(`
  a about above after again against all am an and any are aren't as at be because been before
  being below between both but by can can't cannot could couldn't did didn't do does doesn't
  doing don't down during each few for from further had hadn't has hasn't have haven't having he
  her here hers herself him himself his how i i'm i've i'd i'll if in into is isn't it it's its
  itself just let's me more most my myself no nor not of off on once only or other our ours
  ourselves out over own same she should shouldn't so some such than that that's the their
  theirs them themselves then there there's these they they're this those through to too under
  until up very was wasn't we we're we've were weren't what when where which while who whom why
  will with won't would wouldn't you you're you've your yours yourself yourselves
  im ive dont cant wont didnt doesnt isnt wasnt u ur pls please thanks thank still again
  already now today yesterday tomorrow get got getting go going gone make made really even
  also yet ever never one two three day days week weeks hour hours time times rt via amp lol
  anyone someone everyone nothing something thing things way
  `),
)

/** `refunds` → `refund`, but `access` and `bus` keep their `s`. */
function normalise(word: string): string {
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}

/** Whether a token can be part of a key phrase. */
function isKeyWord(token: Token, names: ReadonlySet<string>): boolean {
  if (token.kind !== 'word' || token.text.length < 3) return false
  const first = token.text.charCodeAt(0)
  if (first >= 48 && first <= 57) return false
  return !stopWords.has(token.text) && !names.has(token.text)
}

/** Unigram and bigram keys of one text, each once; `names` are words never to use. */
export function keysOf(text: string, names: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>()
  let previous: string | null = null
  for (const token of tokenize(text)) {
    if (!isKeyWord(token, names)) {
      previous = null
      continue
    }
    const word = normalise(token.text)
    keys.add(word)
    if (previous !== null && previous !== word) keys.add(`${previous} ${word}`)
    previous = word
  }
  return keys
}

/** The unigram keys of `keysOf`, without building the bigrams: what spike baselines count. */
export function wordsOf(text: string, names: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>()
  for (const token of tokenize(text)) if (isKeyWord(token, names)) keys.add(normalise(token.text))
  return keys
}

/** The brand's own names in a mention say who, not what: their words never make an issue. */
export function namesOf(mention: Mention): Set<string> {
  const names = new Set<string>()
  for (const name of mention.triage.matched) {
    for (const word of fold(name).split(/[^\p{L}\p{N}']+/u)) if (word) names.add(word)
  }
  return names
}

/** The first sentence of `text` that names `phrase`, cut to fit one line of a report. */
export function quoteOf(text: string, phrase: string, names: ReadonlySet<string>): string | null {
  for (const sentence of text.split(/(?<=[.!?])\s+|\n+/)) {
    const said = sentence.replace(/\s+/g, ' ').trim()
    if (said !== '' && keysOf(said, names).has(phrase)) return shorten(said)
  }
  return null
}

function shorten(text: string): string {
  if (text.length <= QUOTE_MAX) return text
  const space = text.lastIndexOf(' ', QUOTE_MAX - 1)
  return text.slice(0, space > QUOTE_MAX / 2 ? space : QUOTE_MAX - 1) + '…'
}

/** A phrase and the mentions (or rows) naming it, in the order they were met. */
export type PhraseGroup<T> = { phrase: string; words: string[]; ids: string[]; members: T[] }

/**
 * Which phrases make the issues: most mentions first, a phrase of two words before a word it
 * contains at the same count. A phrase sharing a word with one already chosen is part of that
 * issue and is not listed again. Shared by `topIssues` and the report's compact rows.
 */
export function chooseIssues<T>(
  groups: Iterable<PhraseGroup<T>>,
  limit: number,
  minCount: number,
): PhraseGroup<T>[] {
  const ranked = [...groups]
    .filter((group) => group.ids.length >= minCount)
    .sort(
      (a, b) =>
        b.ids.length - a.ids.length ||
        b.words.length - a.words.length ||
        a.phrase.localeCompare(b.phrase),
    )
  const chosen: PhraseGroup<T>[] = []
  const taken = new Set<string>()
  for (const group of ranked) {
    if (chosen.length >= limit) break
    if (group.words.some((word) => taken.has(word))) continue
    chosen.push(group)
    for (const word of group.words) taken.add(word)
  }
  return chosen
}

/** The angriest posts first (they say the issue most plainly), then the newest. */
export const byFeeling = (
  a: { score: number; createdAt: number },
  b: { score: number; createdAt: number },
) => a.score - b.score || b.createdAt - a.createdAt

/**
 * The top issues among negative mentions created in [from, to): key phrases (bigrams and single
 * words), ranked and chosen by `chooseIssues`, each with up to three quotes.
 */
export function topIssues(mentions: readonly Mention[], window: IssueWindow): Issue[] {
  const { from, to, limit = 5, minCount = 2 } = window
  const groups = new Map<string, PhraseGroup<Mention>>()
  for (const mention of mentions) {
    if (mention.createdAt < from || mention.createdAt >= to) continue
    if (mention.triage.sentiment.label !== 'negative') continue
    for (const phrase of keysOf(mentionText(mention), namesOf(mention))) {
      let group = groups.get(phrase)
      if (!group) {
        group = { phrase, words: phrase.split(' '), ids: [], members: [] }
        groups.set(phrase, group)
      }
      group.ids.push(mention.id)
      group.members.push(mention)
    }
  }

  return chooseIssues(groups.values(), limit, minCount).map((group) => {
    const angriest = [...group.members].sort((a, b) =>
      byFeeling(
        { score: a.triage.sentiment.score, createdAt: a.createdAt },
        { score: b.triage.sentiment.score, createdAt: b.createdAt },
      ),
    )
    const quotes: string[] = []
    for (const mention of angriest) {
      if (quotes.length >= QUOTES) break
      const quote = quoteOf(mentionText(mention), group.phrase, namesOf(mention))
      if (quote !== null && !quotes.includes(quote)) quotes.push(quote)
    }
    return { phrase: group.phrase, count: group.ids.length, mentionIds: group.ids, quotes }
  })
}
