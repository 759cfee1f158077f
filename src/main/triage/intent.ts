/* What the author wants: to complain, to ask, to praise, to suggest, or none of these. */
import type { Intent } from '../../shared/domain'
import type { CueHits } from './cues'
import { wordList } from './lexicon'
import type { SentimentResult } from './sentiment'
import { phraseAt, type Token } from '../../shared/tokens'

type Phrase = { tokens: string[]; intent: 'idea' | 'question' | 'praise' }

/** What one word can start or signal; most words have no entry at all. */
type Role = { phrases?: Phrase[]; praise?: true; fix?: true; failure?: true }

// One map for every list, so triage pays a single lookup per word (it must keep pace with the
// bare `sentiment` package).
const roles = new Map<string, Role>()
const roleOf = (word: string): Role => {
  let role = roles.get(word)
  if (!role) {
    role = {}
    roles.set(word, role)
  }
  return role
}
function addPhrases(intent: Phrase['intent'], words: string): void {
  for (const phrase of words.split(',')) {
    const tokens = phrase.trim().split(' ')
    const role = roleOf(tokens[0] as string)
    role.phrases = [...(role.phrases ?? []), { tokens, intent }].sort(
      (a, b) => b.tokens.length - a.tokens.length,
    )
  }
}
addPhrases(
  'idea',
  `would be great if, would be nice if, would be nice to, it would be nice, would be cool if,
   would love to see, would love it if, feature request, please add, should add, could add,
   could you add, can you add, please bring, please make, wish, wishlist, suggestion, i suggest,
   how about adding, why not add`,
)
addPhrases(
  'question',
  `how do i, how can i, how to, is there a way, is there any way, can you, could you, can i,
   does anyone know, anyone know, does anybody know, any idea, any ideas, what is the, where can i`,
)

addPhrases('praise', 'shout out, shoutout, well done, hats off, props to, good job, nice work')

/** Words of thanks and delight: positive sentiment with one of these reads as praise. */
const praiseWords = `
  thanks thank thx ty love loving loved great awesome amazing excellent fantastic brilliant
  kudos congrats congratulations appreciate appreciated perfect impressed wonderful superb
  helpful best nice lovely`
/**
 * Failure words that, shortly after a word of praise, turn it to sarcasm ("great, another outage",
 * "love it when the app crashes"). Cheap by design: no irony detector, just this pairing.
 */
const failureWords = `
  outage outages down crash crashes crashed crashing broken broke cancelled canceled delayed
  delay delays failed fails failure error errors bug bugs buggy lost offline glitch`
/** Thanks for a fix is praise, not sarcasm ("thanks for fixing the crash so fast"). */
const fixWords = 'fix fixed fixing resolved restored solved sorted back'
for (const word of wordList(praiseWords)) roleOf(word).praise = true
for (const word of wordList(failureWords)) roleOf(word).failure = true
for (const word of wordList(fixWords)) roleOf(word).fix = true

/** How many words after a word of praise a failure word still reads as sarcasm. */
const SARCASM_REACH = 6

/** The intent of a post, from its tokens, its sentiment and the cues found in it. Pure, one pass. */
export function intentOf(
  tokens: readonly Token[],
  sentiment: Pick<SentimentResult, 'label' | 'score'>,
  hits: CueHits,
): Intent {
  let idea = false
  let asks = hits.question
  let praised = false
  let sarcasm = false
  let fixed = false
  let words = 0
  let lastPraise = -Infinity
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    if (token.kind !== 'word') continue
    words++
    const role = roles.get(token.text)
    if (role === undefined) continue
    const phrase = role.phrases && phraseAt(tokens, i, role.phrases)
    if (phrase?.intent === 'idea') idea = true
    else if (phrase?.intent === 'question') asks = true
    else if (phrase?.intent === 'praise') praised = true
    if (role.fix) fixed = true
    if (role.praise) {
      praised = true
      lastPraise = words
    } else if (role.failure && words - lastPraise <= SARCASM_REACH) {
      sarcasm = true
    }
  }
  const troubled = hits.cues.length > 0
  if (sarcasm && !fixed) return 'complaint'
  // Trouble said with feeling is a complaint even when phrased as a question or a wish.
  if (sentiment.label === 'negative' && (troubled || (!asks && !idea))) return 'complaint'
  if (idea) return 'idea'
  if (asks) return 'question'
  if (sentiment.label === 'positive' && praised) return 'praise'
  return 'other'
}
