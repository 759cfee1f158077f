/* The sentiment lexicon: AFINN-165 and its emoji table (from `sentiment`), tuned for customer care. */
import { createRequire } from 'node:module'

// The package ships its lexicons as JSON beside its code; requiring them at run time keeps the main
// bundle free of import attributes, which Node demands for JSON and bundlers may drop.
const requireJson = createRequire(import.meta.url)
const afinn = requireJson('sentiment/languages/en/labels.json') as Record<string, number>
const emoji = requireJson('sentiment/build/emoji.json') as Record<string, number>

/*
 * Customer care has its own language: "refund" or "on hold" carry no feeling in general English but
 * are complaints when said to a brand, while "help", "please", "support" (positive in AFINN) are
 * what people write when something went wrong. Values follow AFINN's -5..5 scale.
 */
const care: Record<string, number> = {
  // waiting, being ignored
  'still waiting': -2,
  'been waiting': -2,
  'on hold': -2,
  'no response': -2,
  'no reply': -2,
  'no answer': -2,
  'no one': -1,
  nobody: -1,
  ignored: -2,
  ignoring: -2,
  'hung up': -2,
  'never heard back': -3,
  'still no': -2,
  'still not': -2,
  "still haven't": -2,
  'still nothing': -2,
  waited: -1,
  waiting: -1,
  "where's my": -2,
  'where is my': -2,
  'where are my': -2,
  // money
  refund: -2,
  refunds: -2,
  'money back': -2,
  'charged twice': -3,
  'double charged': -3,
  overcharged: -3,
  'hidden fees': -2,
  // things that failed
  cancelled: -2,
  canceled: -2,
  delayed: -2,
  delays: -2,
  "doesn't work": -2,
  'doesnt work': -2,
  "didn't work": -2,
  "won't work": -2,
  'not working': -2,
  'stopped working': -2,
  "won't load": -2,
  "can't log in": -2,
  "can't login": -2,
  'down again': -2,
  'is down': -2,
  'down for everyone': -2,
  'down for anyone': -2,
  'locked out': -2,
  "can't access": -2,
  'deleted my': -2,
  'wiped my': -2,
  'double charge': -3,
  burned: -2,
  burnt: -2,
  'still down': -2,
  'site down': -2,
  'website down': -2,
  'app down': -2,
  "isn't working": -2,
  "aren't working": -2,
  "wasn't working": -2,
  "won't let me": -2,
  fix: -1,
  issue: -1,
  issues: -1,
  bug: -1,
  'lose my business': -3,
  outage: -2,
  glitch: -1,
  buggy: -2,
  crashes: -2,
  crashed: -2,
  broken: -2,
  stranded: -2,
  slow: -2,
  slower: -2,
  overbooked: -2,
  unusable: -3,
  glitchy: -2,
  outdated: -1,
  'lost my': -2,
  'never arrived': -3,
  'never received': -3,
  "hasn't arrived": -2,
  "didn't arrive": -2,
  'never again': -3,
  unacceptable: -3,
  unhelpful: -2,
  'a joke': -2,
  nightmare: -3,
  'thanks for nothing': -3,
  'yeah right': -2,
  // words AFINN scores that customers use neutrally when asking for help
  help: 0,
  please: 0,
  care: 0,
  support: 0,
  dear: 0,
  want: 0,
  joke: 0,
  sorry: 0,
  pretty: 0,
  'customer service': 0,
  'customer care': 0,
  'customer support': 0,
  "can't wait": 2,
  'cant wait': 2,
  "can't believe": 0,
  'not only': 0,
  'no problem': 1,
  'no worries': 1,
  "can't complain": 1,
  "can't beat": 2,
  "can't get any better": 3,
  "couldn't be better": 3,
  "couldn't be happier": 3,
  'killed it': 3,
  'nailed it': 3,
  like: 0,
  'i like': 2,
  'we like': 2,
  lol: 1,
  // praise in care
  thx: 2,
  ty: 1,
  kudos: 3,
  props: 2,
  shoutout: 2,
  'shout out': 2,
  'on time': 2,
  'well done': 2,
  resolved: 2,
  refunded: 1,
  "credit where it's due": 2,
  fixed: 1,
  sorted: 1,
  'quick response': 2,
  'fast response': 2,
}

const emoticons: Record<string, number> = {
  ':)': 2,
  ':]': 2,
  ':d': 2,
  ';)': 1,
  ';d': 1,
  ':p': 1,
  '<3': 3,
  '^^': 2,
  ':(': -2,
  ':[': -2,
  ':/': -1,
  ':\\': -1,
  ':|': -1,
  ':@': -3,
  '>:(': -3,
  '</3': -3,
  '-_-': -2,
}

// The emoji table was scored on general tweets; in complaints anger and eye-rolls run stronger, and
// folded hands mean "please", not thanks.
const emojiCare: Record<string, number> = {
  '😡': -3,
  '🤬': -4,
  '😠': -3,
  '👎': -2,
  '🙄': -2,
  '💔': -3,
  '🤦': -2,
  '😞': -2,
  '😢': -2,
  '😭': -2,
  '😫': -2,
  '🙏': 0,
  '😂': 0,
  '🙂': 1,
}

/** Words separated by spaces or line breaks, for lists that read better as prose. */
export const wordList = (text: string): string[] => text.trim().split(/\s+/)

/** Words that flip the feeling of what follows in the same clause ("not good", "never helpful"). */
export const negators: ReadonlySet<string> = new Set(
  wordList(`
  not no never nothing none neither nor without hardly barely cannot cant can't dont
  don't doesnt doesn't didnt didn't isnt isn't wasnt wasn't arent aren't werent weren't
  wont won't wouldnt wouldn't couldnt couldn't shouldnt shouldn't havent haven't hasnt
  hasn't hadnt hadn't aint ain't
  `),
)

/** Words that strengthen (> 1) or soften (< 1) the next feeling word. */
export const intensifiers: ReadonlyMap<string, number> = new Map([
  ['very', 1.5],
  ['so', 1.5],
  ['really', 1.5],
  ['extremely', 1.75],
  ['super', 1.5],
  ['totally', 1.5],
  ['absolutely', 1.75],
  ['completely', 1.5],
  ['incredibly', 1.75],
  ['truly', 1.5],
  ['seriously', 1.5],
  ['highly', 1.5],
  ['utterly', 1.75],
  ['most', 1.5],
  ['such', 1.5],
  ['too', 1.25],
  ['way', 1.25],
  ['pretty', 1.25],
  ['quite', 1.25],
  ['slightly', 0.5],
  ['somewhat', 0.5],
  ['kinda', 0.5],
  ['kind of', 0.5],
  ['sort of', 0.5],
  ['a bit', 0.5],
  ['a little', 0.5],
])

/** Time units: "2 hours", "an hour", "3 days" said to a brand are almost always a wait. */
export const timeUnits: ReadonlySet<string> = new Set(
  wordList('min minutes mins hour hours hr hrs days weeks months'),
)

/** Words with which writers flag their own irony (as a hashtag, they count as the word). */
const sarcasmTags = wordList('sarcasm sarcastic sarcastically')

export type Phrase = {
  tokens: readonly string[]
  /** The phrase as written, e.g. `on hold`. */
  key: string
  weight: number
  /** Softens or strengthens the next word ("a bit", "kind of"); 0 when it does not. */
  boost: number
  /** Holds its own negation ("not working"), so it is not negated again and negates nothing. */
  negated: boolean
}

/** Everything the scorer needs to know about one token, found with one lookup. */
export type WordEntry = {
  weight: number
  negator: boolean
  /** Multiplies the next feeling word; 0 when this is not an intensifier. */
  boost: number
  timeUnit: boolean
  /** A word writers flag their own irony with ("#sarcasm"): the post's praise means its opposite. */
  sarcasm: boolean
  /** Phrases starting with this token, longest first. */
  phrases: readonly Phrase[] | null
}

function buildWords(): Map<string, WordEntry> {
  const words = new Map<string, WordEntry>()
  const entry = (key: string): WordEntry => {
    let found = words.get(key)
    if (!found) {
      found = {
        weight: 0,
        negator: false,
        boost: 0,
        timeUnit: false,
        sarcasm: false,
        phrases: null,
      }
      words.set(key, found)
    }
    return found
  }
  const phrases = new Map<string, Phrase[]>()
  const weighted: [string, number][] = Object.entries({
    ...afinn,
    ...emoji,
    ...emojiCare,
    ...emoticons,
    ...care,
  })
  // Softeners such as "a bit" are phrases that weigh nothing themselves.
  for (const key of intensifiers.keys()) if (key.includes(' ')) weighted.unshift([key, 0])
  for (const [key, weight] of weighted) {
    const tokens = key.split(' ')
    const first = tokens[0] as string
    if (tokens.length === 1) {
      entry(key).weight = weight
      continue
    }
    const list = phrases.get(first) ?? []
    if (list.some((phrase) => phrase.key === key)) continue
    list.push({
      tokens,
      key,
      weight,
      boost: intensifiers.get(key) ?? 0,
      negated: tokens.some((t) => negators.has(t)),
    })
    phrases.set(first, list)
  }
  for (const [first, list] of phrases)
    entry(first).phrases = list.sort((x, y) => y.tokens.length - x.tokens.length)
  for (const key of negators) entry(key).negator = true
  for (const [key, boost] of intensifiers) if (!key.includes(' ')) entry(key).boost = boost
  for (const key of timeUnits) entry(key).timeUnit = true
  for (const key of sarcasmTags) entry(key).sarcasm = true
  return words
}

/** The whole lexicon, keyed by lower-case token. */
export const lexicon: ReadonlyMap<string, WordEntry> = buildWords()
