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

/*
 * One pass with one sticky-free global regex: links and @handles are skipped (a handle is a name,
 * not a feeling: `@united` must not score as "united"), `#hashtags` count as their word.
 * Emoticons with a letter for a mouth (`:D`, `:P`) must not be glued to a following word.
 */
const tokenPattern =
  /(https?:\/\/\S+|www\.\S+)|(@[\p{L}\p{N}_]+(?:[.@][\p{L}\p{N}_-]+)*)|#?([\p{L}\p{N}]+(?:['’][\p{L}]+)*)|(>?[:;=]['’]?-?(?:[)(\][/\\|@]+|[dDpP](?![\p{L}]))|<\/?3|\^_?\^|-_-)|(\p{Extended_Pictographic})|([.!?;,]+)/gu

const entities = /&(amp|lt|gt|quot|#39|apos);/g
const entityText: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  '#39': "'",
  apos: "'",
}

/** Emoticons written many ways (`:-)))`, `=)`) reduce to one key of the lexicon. */
function normalizeEmoticon(raw: string): string {
  if (raw.includes('3')) return raw.length === 3 ? '</3' : '<3'
  if (raw === '-_-' || raw.startsWith('^')) return raw === '-_-' ? '-_-' : '^^'
  const eyes = raw.startsWith('>') ? '>:' : raw.includes(';') ? ';' : ':'
  const mouth = raw[raw.length - 1]?.toLowerCase() ?? ''
  return eyes + mouth
}

/** Tokens of `text`, in order. Feeds sometimes keep HTML entities (`&lt;3`), so those are decoded. */
export function tokenize(text: string): Token[] {
  const source = text.includes('&') ? text.replace(entities, (_m, name: string) => entityText[name] ?? '') : text
  const tokens: Token[] = []
  tokenPattern.lastIndex = 0
  let match: RegExpExecArray | null
  while ((match = tokenPattern.exec(source)) !== null) {
    const [, link, handle, word, emoticon, emoji, stop] = match
    if (link !== undefined || handle !== undefined) continue
    if (word !== undefined) {
      const lower = word.toLowerCase()
      const shouted = word.length > 1 && lower !== word && word === word.toUpperCase()
      tokens.push({ kind: 'word', text: lower.replaceAll('’', "'"), shouted })
    } else if (emoticon !== undefined) {
      tokens.push({ kind: 'emoticon', text: normalizeEmoticon(emoticon), shouted: false })
    } else if (emoji !== undefined) {
      tokens.push({ kind: 'emoji', text: emoji, shouted: false })
    } else if (stop !== undefined) {
      tokens.push({ kind: 'break', text: stop.includes('?') ? '?' : stop[0] ?? '.', shouted: false })
    }
  }
  return tokens
}

/** The longest entry of `index` whose words start at `tokens[at]`, if any. */
export function phraseAt<P extends { tokens: readonly string[] }>(
  tokens: readonly Token[],
  at: number,
  index: ReadonlyMap<string, readonly P[]>,
): P | undefined {
  const candidates = index.get(tokens[at]?.text ?? '')
  if (candidates === undefined) return undefined
  for (const entry of candidates) {
    let k = 1
    while (k < entry.tokens.length && tokens[at + k]?.text === entry.tokens[k]) k++
    if (k === entry.tokens.length) return entry
  }
  return undefined
}
