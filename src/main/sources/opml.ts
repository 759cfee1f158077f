/* OPML, the file every feed reader (Feedly, Inoreader, NetNewsWire, Thunderbird) imports and
   exports its subscriptions as: reading one to add its feeds as sources, writing one of the RSS
   sources. The reading is untrusted input and runs in the parse worker (task `opml`). */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { SourceError } from './connector'

/** One feed named by an OPML file: its address, and its title where the file gives one. */
export type OpmlFeed = { url: string; title: string | null }

/** What reading an OPML file found: the feeds in file order, and the outlines it passed over. */
export type OpmlReading = {
  feeds: OpmlFeed[]
  /** Outlines that name a feed Earshot cannot read, in words: "ftp://… is not a web address". */
  refused: { feed: string; reason: string }[]
}

/** More feeds than anyone follows for one brand; a file with more is refused, not truncated. */
export const OPML_MAX_FEEDS = 1_000
/** Folders inside folders: readers nest one or two deep. */
const MAX_DEPTH = 32
/** Longer than any feed address worth polling; the source schema caps URLs too. */
const MAX_URL = 2_048

type Node = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Attributes keep their text (a title of "2024" stays a string); entities like &amp; decode.
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: true,
  // Character references (&#10;, &#x2013;) decode too; a DOCTYPE's own entities are refused first.
  htmlEntities: true,
  isArray: (name) => name === 'outline',
})

const refuse = (message: string) => new SourceError('parse', message)

/** An attribute by name whatever its case (`xmlUrl`, `xmlurl`, `XMLURL` all occur in the wild). */
function attribute(node: Node, name: string): string | null {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(node)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') {
      const trimmed = value.trim()
      return trimmed === '' ? null : trimmed
    }
  }
  return null
}

/** Whether `value` is an http(s) address Earshot can poll, or the reason it is not. */
function problemWith(value: string): string | null {
  if (value.length > MAX_URL) return 'the address is too long'
  let parsed: URL
  try {
    parsed = new URL(value)
  } catch {
    return 'it is not a web address'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'it is not a web address (http or https)'
  }
  return null
}

/** A title as shown on a card: one line, at most 120 characters. */
const cleanTitle = (value: string | null): string | null => {
  const line = value?.replace(/\s+/g, ' ').trim() ?? ''
  return line === '' ? null : line.slice(0, 120)
}

/**
 * The feeds of an OPML file, in file order, each address once; folders are walked, their names
 * dropped. Refuses, in words, what is not OPML, what declares entities (an XML bomb's way in) and
 * files naming more than `OPML_MAX_FEEDS` feeds.
 */
export function parseOpml(text: string): OpmlReading {
  if (/<!ENTITY/i.test(text)) {
    throw refuse('The file declares XML entities, which Earshot does not read in an OPML file')
  }
  const valid = XMLValidator.validate(text)
  if (valid !== true) {
    const { msg, line } = valid.err
    throw refuse(`The file is not readable XML (line ${line}: ${msg.replace(/\.$/, '')})`)
  }
  let document: Node
  try {
    document = parser.parse(text) as Node
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0] : 'unknown'
    throw refuse(`The file is not readable XML (${detail})`)
  }
  const opml = document['opml']
  if (typeof opml !== 'object' || opml === null || !('body' in opml)) {
    throw refuse('The file is not an OPML subscription list (it has no <opml><body>)')
  }
  const body = (opml as Node)['body']

  const feeds: OpmlFeed[] = []
  const refused: OpmlReading['refused'] = []
  const seen = new Set<string>()
  const visit = (outlines: unknown, depth: number) => {
    if (!Array.isArray(outlines)) return
    if (depth > MAX_DEPTH) throw refuse('The file nests its folders too deeply to read')
    for (const outline of outlines) {
      if (typeof outline !== 'object' || outline === null) continue
      const node = outline as Node
      const url = attribute(node, 'xmlUrl')
      const title = cleanTitle(attribute(node, 'title') ?? attribute(node, 'text'))
      if (url !== null && !seen.has(url)) {
        seen.add(url)
        if (seen.size > OPML_MAX_FEEDS) {
          throw refuse(
            `The file names more than ${OPML_MAX_FEEDS.toLocaleString('en')} feeds; split it and import each part`,
          )
        }
        const problem = problemWith(url)
        if (problem) refused.push({ feed: title ?? url.slice(0, 200), reason: problem })
        else feeds.push({ url, title })
      }
      visit(node['outline'], depth + 1)
    }
  }
  if (typeof body === 'object' && body !== null) visit((body as Node)['outline'], 0)
  if (feeds.length === 0 && refused.length === 0) {
    throw refuse('The file names no feeds (no outline has an xmlUrl)')
  }
  return { feeds, refused }
}

const escapeAttribute = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all are dropped; line breaks survive as references.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')

/** An OPML 2.0 file of the given feeds, as readers import it. */
export function writeOpml(feeds: readonly { url: string; title: string }[], at: Date): string {
  const lines = feeds.map(
    (feed) =>
      `    <outline type="rss" text="${escapeAttribute(feed.title)}" title="${escapeAttribute(feed.title)}" xmlUrl="${escapeAttribute(feed.url)}"/>`,
  )
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    '    <title>Earshot feeds</title>',
    `    <dateCreated>${at.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n')
}
