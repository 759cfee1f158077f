/* The sentiment lexicon: AFINN-165 and its emoji table (from `sentiment`), tuned for customer care. */
import { createRequire } from 'node:module'

// The package ships its lexicons as JSON beside its code; requiring them at run time keeps the main
// bundle free of import attributes, which Node demands for JSON and bundlers may drop.
const require = createRequire(import.meta.url)
const afinn = require('sentiment/languages/en/labels.json') as Record<string, number>
const emoji = require('sentiment/build/emoji.json') as Record<string, number>

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
  'any update': -1,
  'any updates': -1,
  hours: -1,
  waited: -1,
  // money
  refund: -2,
  refunds: -2,
  'money back': -2,
  'charged twice': -3,
  'double charged': -3,
  overcharged: -3,
  'hidden fees': -2,
  fee: -1,
  fees: -1,
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
  outage: -2,
  glitch: -1,
  buggy: -2,
  crashes: -2,
  crashed: -2,
  broken: -2,
  stranded: -2,
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

/** Single-token weights: AFINN, emoji and emoticons, with the care words on top. */
export const tokenWeights: ReadonlyMap<string, number> = new Map(
  Object.entries({ ...afinn, ...emoji, ...emojiCare, ...emoticons, ...care }).filter(
    ([key]) => !key.includes(' '),
  ),
)

/** Words that flip the feeling of what follows in the same clause ("not good", "never helpful"). */
export const negators: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'none',
  'neither',
  'nor',
  'without',
  'hardly',
  'barely',
  'cannot',
  'cant',
  "can't",
  'dont',
  "don't",
  'doesnt',
  "doesn't",
  'didnt',
  "didn't",
  'isnt',
  "isn't",
  'wasnt',
  "wasn't",
  'arent',
  "aren't",
  'werent',
  "weren't",
  'wont',
  "won't",
  'wouldnt',
  "wouldn't",
  'couldnt',
  "couldn't",
  'shouldnt',
  "shouldn't",
  'havent',
  "haven't",
  'hasnt',
  "hasn't",
  'hadnt',
  "hadn't",
  'aint',
  "ain't",
])

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

export type Phrase = {
  tokens: readonly string[]
  /** The phrase as written, e.g. `on hold`. */
  key: string
  weight: number
  /** Holds its own negation ("not working"), so it is not negated again and negates nothing. */
  negated: boolean
}

/** Multi-word entries keyed by their first token, longest first. */
export const phrases: ReadonlyMap<string, readonly Phrase[]> = indexPhrases()

function indexPhrases(): Map<string, Phrase[]> {
  const index = new Map<string, Phrase[]>()
  const weighted = Object.entries({ ...afinn, ...care })
  // Softeners such as "a bit" are phrases too; they weigh nothing themselves.
  const softeners = [...intensifiers.keys()].filter((key) => key.includes(' ')).map((key) => [key, 0] as const)
  for (const [key, weight] of [...softeners, ...weighted]) {
    const tokens = key.split(' ')
    const first = tokens[0]
    if (tokens.length < 2 || first === undefined) continue
    const list = index.get(first) ?? []
    list.push({ tokens, key, weight, negated: tokens.some((token) => negators.has(token)) })
    list.sort((a, b) => b.tokens.length - a.tokens.length)
    index.set(first, list)
  }
  return index
}

