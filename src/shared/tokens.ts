/* Splits a post into the pieces triage reads: words, emoji, emoticons and clause breaks. */

/** `break` is one of `.`, `!`, `?`, `;`, `,` (as `?` if it holds one): negation stops there. */
export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'break'

export type Token = {
  kind: TokenKind
  /** Lower case, diacritics kept (the lexicons are English); emoticons normalized, e.g. `:(`. */
  text: string
  /** Written in capitals (`WORST`), which people use for emphasis. */
  shouted: boolean
}

const entities = /&(amp|lt|gt|quot|#39|apos);/g
const entityText: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  apos: "'",
}

const letterOrDigit = /[\p{L}\p{N}\p{M}]/u
const pictograph = /\p{Extended_Pictographic}/u

// Character classes for the ASCII range, looked up by code; everything above goes to the regexes.
const ALNUM = 1
const UPPER = 2
const ascii = new Uint8Array(128)
for (let c = 48; c <= 57; c++) ascii[c] = ALNUM
for (let c = 65; c <= 90; c++) ascii[c] = ALNUM | UPPER
for (let c = 97; c <= 122; c++) ascii[c] = ALNUM

function isWordChar(text: string, i: number, code: number): boolean {
  if (code < 128) return (ascii[code] ?? 0) !== 0
  // Emoji sit in the surrogate range and are never letters; testing them here would be slow.
  return code < 0xd800 && letterOrDigit.test(text[i] ?? '')
}

const isSpace = (code: number) => code === 32 || code === 9 || code === 10 || code === 13

/** `.` `!` `?` `;` `,` and line ends. */
const isStop = (code: number) =>
  code === 46 || code === 33 || code === 63 || code === 59 || code === 44 || code === 10

/** Inside a handle: letters, digits, `_`, `-`, and `.` or `@` when a letter follows. */
function isHandleChar(text: string, i: number): boolean {
  const code = text.charCodeAt(i)
  if (code === 95 || code === 45 || isWordChar(text, i, code)) return true
  return (code === 46 || code === 64) && isWordChar(text, i + 1, text.charCodeAt(i + 1))
}

/*
 * Emoticons as written, longest first. A letter mouth (`:D`, `:P`) must not be glued to a word,
 * and `:/` is only one when not part of a link (links are skipped before this is tried).
 */
const emoticonPattern = /(?:>?[:;=]['’]?-?(?:[)(\][/\\|@]+|[dDpP](?![A-Za-z]))|<\/?3|\^_?\^|-_-)/y

/**
 * Tokens of `text`, in order. A hand-written scanner because triage runs on every post and must
 * keep pace with the bare `sentiment` package. Links and @handles are skipped (a handle is a name,
 * not a feeling: `@united` must not score as "united"); `#hashtags` count as their word. Feeds
 * sometimes keep HTML entities (`&lt;3`), so those are decoded first.
 */
export function tokenize(input: string): Token[] {
  const text = input.includes('&')
    ? input.replace(entities, (_m, name: string) => entityText[name] ?? '')
    : input
  const tokens: Token[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    const code = text.charCodeAt(i)
    if (isSpace(code) && code !== 10) {
      i++
      continue
    }
    // Links: skip to the next space.
    if (
      (code === 104 && (text.startsWith('http://', i) || text.startsWith('https://', i))) ||
      (code === 119 && text.startsWith('www.', i))
    ) {
      while (i < n && !isSpace(text.charCodeAt(i))) i++
      continue
    }
    if (isWordChar(text, i, code)) {
      const start = i
      let upper = 0
      let lower = 0
      let curly = false
      while (i < n) {
        const c = text.charCodeAt(i)
        if (c < 128) {
          const cls = ascii[c] ?? 0
          if (cls !== 0) {
            if (cls & UPPER) upper++
            else if (c >= 97) lower++
            i++
            continue
          }
          // An apostrophe between letters belongs to the word (don't, it's).
          if (c === 39 && i + 1 < n && isWordChar(text, i + 1, text.charCodeAt(i + 1))) {
            i++
            continue
          }
          break
        }
        if (c === 0x2019 && i + 1 < n && isWordChar(text, i + 1, text.charCodeAt(i + 1))) {
          curly = true
          i++
          continue
        }
        if (!isWordChar(text, i, c)) break
        lower++
        i++
      }
      // A word straight after `@` is a handle (`@acme`, `@ana@example.social`, `@acme.bsky.social`):
      // skipped with its domain.
      if (start > 0 && text.charCodeAt(start - 1) === 64) {
        while (i < n && isHandleChar(text, i)) i++
        continue
      }
      // Slicing the original and lower-casing each word measured faster than slicing a lowered copy.
      const word = text.slice(start, i).toLowerCase()
      tokens.push({
        kind: 'word',
        text: curly ? word.replaceAll('’', "'") : word,
        shouted: upper > 1 && lower === 0,
      })
      continue
    }
    if (emoticonMayStart(code, text.charCodeAt(i + 1))) {
      const emoticon = emoticonAt(text, i)
      if (emoticon) {
        tokens.push(emoticon.token)
        i += emoticon.length
        continue
      }
    }
    if (isStop(code)) {
      // A run of stops is one break; a `?` anywhere in it makes it a question.
      let question = false
      let stop = code
      for (; i < n && isStop(text.charCodeAt(i)); i++) {
        const c = text.charCodeAt(i)
        if (c === 63) question = true
        if (c !== 44) stop = c
      }
      tokens.push({
        kind: 'break',
        text: question ? '?' : stop === 44 ? ',' : stop === 10 ? '\n' : '.',
        shouted: false,
      })
      continue
    }
    if (code === 0x2026) {
      // An ellipsis ends a thought as a full stop does.
      tokens.push({ kind: 'break', text: '.', shouted: false })
      i++
      continue
    }
    if (code >= 0x2000) {
      const point = text.codePointAt(i) ?? code
      const char = String.fromCodePoint(point)
      if (pictograph.test(char)) tokens.push({ kind: 'emoji', text: char, shouted: false })
      i += char.length
      continue
    }
    i++
  }
  return tokens
}

/** Emoticons written many ways (`:-)))`, `=)`) reduce to one key of the lexicon. */
function normalizeEmoticon(raw: string): string {
  if (raw.endsWith('3')) return raw.length === 3 ? '</3' : '<3'
  if (raw === '-_-') return raw
  if (raw.startsWith('^')) return '^^'
  const eyes = raw.startsWith('>') ? '>:' : raw.includes(';') ? ';' : ':'
  return eyes + (raw[raw.length - 1]?.toLowerCase() ?? '')
}

// What may follow eyes (`:;=`): a nose, a tear or a mouth. Checked before the regex, which is slower.
const afterEyes = new Set([...")(][/\\|@dDpP-'’"].map((c) => c.charCodeAt(0)))

function emoticonMayStart(code: number, next: number): boolean {
  if (code === 58 || code === 59 || code === 61) return afterEyes.has(next)
  if (code === 62) return next === 58 || next === 59 || next === 61
  if (code === 60) return next === 51 || next === 47
  if (code === 94) return next === 94 || next === 95
  return code === 45 && next === 95
}

function emoticonAt(text: string, i: number): { token: Token; length: number } | null {
  emoticonPattern.lastIndex = i
  const match = emoticonPattern.exec(text)
  if (!match) return null
  return {
    token: { kind: 'emoticon', text: normalizeEmoticon(match[0]), shouted: false },
    length: match[0].length,
  }
}

/** The first of `candidates` (longest first) whose words continue from `tokens[at]`. */
export function phraseAt<P extends { tokens: readonly string[] }>(
  tokens: readonly Token[],
  at: number,
  candidates: readonly P[],
): P | undefined {
  for (const entry of candidates) {
    let k = 1
    while (k < entry.tokens.length && tokens[at + k]?.text === entry.tokens[k]) k++
    if (k === entry.tokens.length) return entry
  }
  return undefined
}
