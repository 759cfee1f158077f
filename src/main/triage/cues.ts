/* Words that say what kind of trouble a post is about: complaint cues and crisis words. */
import { negators, wordList } from './lexicon'
import { phraseAt, type Token } from '../../shared/tokens'

export type CueKind = 'complaint' | 'crisis'

export type Cue = {
  kind: CueKind
  /** Machine name of the group, e.g. `refund`, `legal`. */
  group: string
  /** What the chip says, e.g. "refund", "legal threat". */
  label: string
  /** The words found, e.g. `charged twice`. */
  words: string
}

/** Word lists read best as prose: comma-separated. */
const list = (words: string): string[] =>
  words
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '')

type CueGroup = {
  kind: CueKind
  group: string
  label: string
  words: string[]
  /** "not broken", "no complaints" mean the opposite; "no refund" is still about a refund. */
  negatable?: boolean
}

/*
 * Customer-care language in general, not one industry's: money, waiting, things that broke,
 * things that never came, people about to leave. Crisis words are the ones PR, legal or security
 * must see today, whoever the post is addressed to.
 */
const groups: CueGroup[] = [
  {
    kind: 'complaint',
    group: 'refund',
    label: 'refund',
    words: list(`
      refund, refunds, money back, my money, reimburse, reimbursement, chargeback
    `),
  },
  {
    kind: 'complaint',
    group: 'billing',
    label: 'billing',
    words: list(`
      charged twice, double charged, double charge, billed twice, overcharged, charged me,
      hidden fee, hidden fees, extra fee
    `),
  },
  {
    kind: 'complaint',
    group: 'waiting',
    label: 'no answer',
    words: list(`
      still waiting, been waiting, on hold, no response, no reply, no answer,
      never heard back, hung up, ignored, ignoring, still no, no one answers,
      nobody answers
    `),
  },
  {
    kind: 'complaint',
    group: 'broken',
    negatable: true,
    label: 'not working',
    words: list(`
      doesn't work, doesnt work, does not work, not working, didn't work, stopped working,
      won't load, can't log in, can't login, broken, crashes, crashed, keeps crashing,
      can't access, cannot log in, unable to log in, can't get in, locked out, buggy,
      glitch
    `),
  },
  {
    kind: 'complaint',
    group: 'outage',
    negatable: true,
    label: 'outage',
    words: list(`
      down again, is down, down for everyone, down for anyone, outage, offline again
    `),
  },
  {
    kind: 'complaint',
    group: 'cancelled',
    negatable: true,
    label: 'cancelled',
    words: list('cancelled, canceled, cancellation'),
  },
  {
    kind: 'complaint',
    group: 'delayed',
    negatable: true,
    label: 'delayed',
    words: list('delayed, delay, delays'),
  },
  {
    kind: 'complaint',
    group: 'missing',
    label: 'lost or missing',
    words: list(`
      lost my, never arrived, never received, hasn't arrived, didn't arrive,
      haven't received, where is my, missing, deleted my, wiped my, wipe, wiped, lost all
    `),
  },
  {
    kind: 'complaint',
    group: 'churn',
    label: 'may leave',
    words: list(`
      never again, switching to, switching from, switch to, cancel my account,
      cancel my subscription, close my account, cancelling my, done with,
      taking my business
    `),
  },
  {
    kind: 'complaint',
    group: 'escalation',
    negatable: true,
    label: 'escalation',
    words: list(`
      unacceptable, complaint, complaints, speak to a manager, supervisor, escalate,
      disgrace
    `),
  },
  {
    kind: 'complaint',
    group: 'urgent',
    label: 'says urgent',
    words: list('urgent, urgently, asap, emergency, immediately'),
  },
  {
    kind: 'crisis',
    group: 'legal',
    label: 'legal threat',
    words: list(`
      lawyer, lawyers, attorney, sue you, sue them, going to sue, gonna sue, will sue,
      i'll sue, suing, sued, lawsuit, legal action, class action, small claims,
      better business bureau, bbb, attorney general, consumer protection, ombudsman,
      regulator
    `),
  },
  {
    kind: 'crisis',
    group: 'safety',
    label: 'safety',
    words: list(`
      injured, injury, injuries, got hurt, hurt my, hurt his, hurt her, burned, burnt,
      overheated, overheating, sparks, unsafe, dangerous, caught fire, exploded, explosion,
      burned me, electrocuted, choking, product recall, recalled, safety hazard,
      fire hazard
    `),
  },
  {
    kind: 'crisis',
    group: 'health',
    label: 'health',
    words: list(`
      hospital, hospitalized, emergency room, food poisoning, poisoning, poisoned,
      allergic reaction, ambulance, made me sick, got sick, contaminated, cockroach,
      cockroaches, mold
    `),
  },
  {
    kind: 'crisis',
    group: 'security',
    label: 'security',
    words: list(`
      got hacked, been hacked, was hacked, were hacked, is hacked, hacked my, hacked into,
      account hacked, breach, data breach, data leak, leaked my, data leaked,
      leaked customer, leaked user, leaked our, leaked emails, leaked data,
      passwords leaked, was compromised, been compromised, account compromised, phishing,
      malware, ransomware
    `),
  },
  {
    kind: 'crisis',
    group: 'fraud',
    label: 'fraud',
    words: list(`
      fraud, fraudulent, scam, scammed, scammers, stolen, stole my, theft, identity theft,
      unauthorized charge, unauthorised charge
    `),
  },
  {
    kind: 'crisis',
    group: 'conduct',
    label: 'conduct',
    words: list(`
      racist, racism, discrimination, discriminated, harassed, harassment, assaulted,
      assault, sexist
    `),
  },
]

type Entry = { tokens: string[]; group: CueGroup; words: string }

const index = new Map<string, Entry[]>()
for (const group of groups) {
  for (const words of group.words) {
    const tokens = words.split(' ')
    const first = tokens[0] as string
    const list = index.get(first) ?? []
    list.push({ tokens, group, words })
    list.sort((a, b) => b.tokens.length - a.tokens.length)
    index.set(first, list)
  }
}

const interrogatives = new Set(
  wordList(`
  how why when where what who which can could will would is are do does did should any
  anyone
  `),
)

export type CueHits = {
  /** One per group, in order of appearance. */
  cues: Cue[]
  /** The post asks something: a `?`, or it opens with a question word. */
  question: boolean
}

/** Complaint and crisis cues in `tokens`, plus whether the post asks a question. */
export function findCues(tokens: readonly Token[]): CueHits {
  const cues: Cue[] = []
  let question = false
  let firstWord = true
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token
    if (token.kind === 'break') {
      if (token.text === '?') question = true
      continue
    }
    if (token.kind !== 'word') continue
    if (firstWord && interrogatives.has(token.text)) question = true
    firstWord = false
    const candidates = index.get(token.text)
    const entry = candidates && phraseAt(tokens, i, candidates)
    if (!entry) continue
    const negated = negatedAt(tokens, i)
    i += entry.tokens.length - 1
    if (negated && entry.group.negatable) continue
    if (cues.some((cue) => cue.group === entry.group.group)) continue
    const { kind, group, label } = entry.group
    cues.push({ kind, group, label, words: entry.words })
  }
  return { cues, question }
}

/** A negator one or two words before `at`, in the same clause ("wasn't even delayed"). */
function negatedAt(tokens: readonly Token[], at: number): boolean {
  for (let k = at - 1; k >= 0 && k >= at - 2; k--) {
    const token = tokens[k] as Token
    if (token.kind === 'break') return false
    if (negators.has(token.text)) return true
  }
  return false
}

/** The words and phrases of the named cue groups, e.g. the crisis groups for a routing rule. */
export function cueWords(groupNames: readonly string[]): string[] {
  return groups.filter((group) => groupNames.includes(group.group)).flatMap((group) => group.words)
}
