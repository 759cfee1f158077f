/*
 * Headless commands: `triage <file>` scores a JSONL or CSV file, `poll --source <json>` fetches one
 * source once. Output is one JSON line per mention on stdout; problems are one line on stderr, with
 * exit code 1 for bad data or a failed fetch and 2 for a wrong command line. Bundled into
 * out/main/cli.js too, so: relative imports only, and no top-level await.
 */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { CsvError, parseCsvWithLines } from '../shared/csv'
import { z } from 'zod'
import {
  BLUESKY_INTERVAL_SEC,
  brandProfileSchema,
  HN_INTERVAL_SEC,
  intentSchema,
  platformSchema,
  sentimentLabelSchema,
  REDDIT_INTERVAL_SEC,
  MASTODON_INTERVAL_SEC,
  sourceConfigSchema,
  type BrandProfile,
  type HandlePlatform,
  type Mention,
  type SourceConfig,
  type Triage,
} from '../shared/domain'
import { describeError } from '../shared/result'
import { credentialSchemaFor } from './credentials/kinds'
import { scrubSecrets } from './credentials/scrub'
import { SourceError, type SecretAccess } from './sources/connector'
import { memorySecrets } from './sources/memory-secrets'
import { mastodonName } from './sources/mastodon'
import { pollSourceOnce } from './sources/poll-once'
import { createTriage, learnCorrection, triageText } from './triage/index'
import { createLearner, type Learner } from './triage/learner'
import { routedTriage, routeMention } from './triage/routing'
import { readRoutingFile, routeName, RoutingFileError } from './triage/routing-file-cli'

const usage = `Usage: npm run cli -- <command>

Commands:
  triage <file> [--brand '<json>'] [--corrections <file.jsonl>] [--rules <file.json>]
                                     Score a JSONL or CSV file with a "text" field (optional: id,
                                     author, createdAt, source, followers); one JSON line per row.
                                     --corrections first teaches the model your labels: one JSON
                                     object per line with "text" and the correct "intent"
                                     (complaint, question, praise, idea, other) and/or
                                     "sentiment" (negative, neutral, positive), optional "urgent"
                                     (true/false), "platform", "directed", "followers".
                                     Bad lines are reported by number and skipped.
                                     "route" names the department the routing rules choose: the
                                     default rules, or those in --rules (rules.json from the data
                                     folder, or {"rules": [...], "departments": [...]}).
  poll --source '<json>' [--brand '<json>']
                                     Fetch a source once, e.g. '{"kind":"rss","url":"https://..."}'
                                     or '{"kind":"hn"}' (searches what --brand names) or
                                     '{"kind":"mastodon","instance":"https://mastodon.social",
                                     "hashtags":["acme"]}'; one JSON line per mention.
                                     Sources that sign in take a "credentials" object,
                                     e.g. {"kind":"bluesky","identifier":"acme.bsky.social",
                                     "credentials":{"appPassword":"..."}}; never printed.
                                     Settings: docs/sources.md.
  help                               This text.

--brand is a brand profile, e.g. '{"brand":"Acme","handles":["@acme"],"competitors":["Globex"]}'.
Handles may be strings ("@acme", "acme.bsky.social", "@acme@mastodon.social", "u/acme").`

/** A problem to report in one line; `code` 2 means the command line itself was wrong. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2 = 1,
  ) {
    super(message)
  }
}

type Flags = { positional: string[]; options: Map<string, string> }

function parseFlags(args: readonly string[], known: readonly string[]): Flags {
  const positional: string[] = []
  const options = new Map<string, string>()
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    if (!known.includes(name)) throw new CliError(`Unknown option --${name}`, 2)
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1)
    if (value === undefined) throw new CliError(`--${name} needs a value`, 2)
    options.set(name, value)
  }
  return { positional, options }
}

function parseJsonOption(name: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown
  } catch {
    throw new CliError(`--${name} is not valid JSON`, 2)
  }
}

/** Where a handle string points, by its form. */
function handlePlatform(handle: string): HandlePlatform {
  if (/^\/?u\//.test(handle)) return 'reddit'
  if (/^@?[^@\s]+@[^@\s]+\.[^@\s]+$/.test(handle)) return 'mastodon'
  if (handle.replace(/^@/, '').includes('.')) return 'bluesky'
  return 'other'
}

/** The --brand profile; lists may be left out and handles written as plain strings. */
function parseBrand(value: string | undefined): BrandProfile | null {
  if (value === undefined) return null
  const raw = parseJsonOption('brand', value)
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliError('--brand must be a JSON object with at least "brand"', 2)
  }
  const input = raw as Record<string, unknown>
  const given: unknown = input['handles']
  const handles = Array.isArray(given)
    ? (given as unknown[]).map((h) =>
        typeof h === 'string' ? { platform: handlePlatform(h), handle: h } : h,
      )
    : given
  const parsed = brandProfileSchema.safeParse({
    products: [],
    competitors: [],
    excluded: [],
    ...input,
    handles: handles ?? [],
  })
  if (!parsed.success)
    throw new CliError(`--brand is not a valid brand profile (${issue(parsed.error)})`, 2)
  return parsed.data
}

function issue(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[]
}): string {
  const first = error.issues[0]
  if (!first) return 'invalid'
  const path = first.path.map(String).join('.')
  return path ? `${path}: ${first.message}` : first.message
}

/** One row to triage, with where it was in the file. */
type Row = {
  line: number
  id: string | number
  text: string
  followers?: number
  /** A platform (`mastodon`) or source id, for rules that look at the source. */
  source?: string
}

function rowFrom(line: number, record: Record<string, unknown>): Row {
  const text = record['text']
  if (typeof text !== 'string' || text.trim() === '') throw new CliError(`line ${line}: no text`)
  const id = record['id']
  const row: Row = {
    line,
    id: typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? id : line,
    text,
  }
  const author = record['author']
  const followers = countOf(
    record['followers'] ??
      (typeof author === 'object' && author !== null
        ? (author as Record<string, unknown>)['followers']
        : undefined),
  )
  if (followers !== undefined) row.followers = followers
  const source = record['source']
  if (typeof source === 'string' && source.trim() !== '') row.source = source.trim()
  return row
}

/** A follower count from JSON (number) or CSV (digits); anything else is unknown. */
function countOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value.trim())
        ? Number(value)
        : NaN
  return Number.isInteger(n) && n >= 0 ? n : undefined
}

function readJsonl(content: string): Row[] {
  const rows: Row[] = []
  content.split(/\r?\n/).forEach((source, index) => {
    if (source.trim() === '') return
    const line = index + 1
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch {
      throw new CliError(`line ${line}: not valid JSON`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CliError(`line ${line}: expected a JSON object with "text"`)
    }
    rows.push(rowFrom(line, value as Record<string, unknown>))
  })
  return rows
}

function readCsv(content: string): Row[] {
  let records: { line: number; record: Record<string, string> }[]
  try {
    records = parseCsvWithLines(content)
  } catch (cause) {
    if (cause instanceof CsvError) throw new CliError(cause.message)
    throw cause
  }
  if (records.length > 0 && !('text' in (records[0]?.record ?? {}))) {
    throw new CliError('line 1: the CSV header has no "text" column')
  }
  return records.map(({ line, record }) => rowFrom(line, record))
}

/** JSONL or CSV by extension, else by the first non-blank character (`{` means JSONL). */
function readRows(path: string, content: string): Row[] {
  const ext = extname(path).toLowerCase()
  const body = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content
  if (ext === '.jsonl' || ext === '.ndjson') return readJsonl(body)
  if (ext === '.csv') return readCsv(body)
  const first = body.trimStart()[0]
  if (first === '[')
    throw new CliError('The file is one JSON array; write one JSON object per line (JSONL)')
  return first === '{' ? readJsonl(body) : readCsv(body)
}

function summary(triage: Triage) {
  const { score, comparative, label } = triage.sentiment
  return {
    sentiment: { score, comparative, label },
    directed: triage.directed,
    urgency: triage.urgency,
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    const code = (cause as { code?: unknown }).code
    throw new CliError(
      code === 'ENOENT' ? `No such file: ${path}` : `Cannot read ${path}: ${describeError(cause)}`,
    )
  }
}

/** One line of a --corrections file: the post and what it really is. */
const correctionLineSchema = z
  .object({
    text: z.string().trim().min(1, 'no text').max(20_000),
    intent: intentSchema.optional(),
    sentiment: sentimentLabelSchema.optional(),
    urgent: z.boolean().optional(),
    platform: platformSchema.optional(),
    directed: z.boolean().optional(),
    followers: z.number().int().nonnegative().optional(),
  })
  .refine(
    (line) =>
      line.intent !== undefined || line.sentiment !== undefined || line.urgent !== undefined,
    'needs "intent", "sentiment" or "urgent"',
  )

/**
 * Teaches a fresh learner the corrections in a JSONL file, line by line, exactly as the app learns
 * the responder's. A bad line is reported (with its number) and skipped; the rest still count.
 */
function learnFromFile(
  path: string,
  content: string,
  profile: BrandProfile | null,
  warn: (line: string) => void,
): Learner {
  const learner = createLearner()
  const body = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content
  let learned = 0
  let skipped = 0
  body.split(/\r?\n/).forEach((source, index) => {
    if (source.trim() === '') return
    const where = `${path} line ${index + 1}`
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch {
      skipped++
      warn(`${where}: not valid JSON, skipped`)
      return
    }
    const parsed = correctionLineSchema.safeParse(value)
    if (!parsed.success) {
      skipped++
      warn(`${where}: ${issue(parsed.error)}, skipped`)
      return
    }
    const { text, platform, directed, followers, ...correction } = parsed.data
    // The same reading as the app's triage:correct: a "directed" flag only ever adds.
    const options = { platform, followers, addressed: directed === true ? true : undefined }
    learnCorrection(learner, text, profile, correction, options, learned)
    learned++
  })
  if (skipped > 0) warn(`Learned ${learned} corrections from ${path}; skipped ${skipped}.`)
  return learner
}

async function triageCommand(
  args: readonly string[],
  print: (value: unknown) => void,
  warn: (line: string) => void,
): Promise<void> {
  const { positional, options } = parseFlags(args, ['brand', 'corrections', 'rules'])
  const [path, ...extra] = positional
  if (path === undefined) throw new CliError('triage needs a file: npm run cli -- triage <file>', 2)
  if (extra.length > 0) throw new CliError(`Unexpected argument ${extra[0] ?? ''}`, 2)
  const profile = parseBrand(options.get('brand'))
  const routing = await readRules(options.get('rules'))
  const correctionsPath = options.get('corrections')
  const content = await readText(path)
  // Every row is checked before any is printed, so a bad file never yields half an answer.
  const rows = readRows(path, content)
  const learner =
    correctionsPath === undefined
      ? undefined
      : learnFromFile(correctionsPath, await readText(correctionsPath), profile, warn)
  for (const row of rows) {
    const scored = triageText(row.text, profile, { followers: row.followers, learner })
    const source = row.source
    const triage = routedTriage(
      scored,
      routeMention(
        { text: row.text, triage: scored, platform: platformOf(source), sourceId: source },
        routing.rules,
      ),
    )
    const { sentiment, ...rest } = summary(triage)
    print({
      id: row.id,
      sentiment,
      intent: triage.intent ?? 'other',
      ...rest,
      reasons: triage.reasons,
      matched: triage.matched,
      route: routeName(triage.route, routing.departments),
    })
  }
}

/** The --rules file, or the default rules and departments. */
async function readRules(path: string | undefined) {
  try {
    return await readRoutingFile(path)
  } catch (cause) {
    if (cause instanceof RoutingFileError) throw new CliError(cause.message)
    throw cause
  }
}

const platformOf = (source: string | undefined) => platformSchema.safeParse(source).data

/**
 * A source as typed: the "add source" shape (`{"kind":"rss","url":...}`) or a stored config, with
 * the secrets of a kind that signs in under `credentials` (kept in memory for this one poll).
 */
function parseSource(
  value: string | undefined,
  now: number,
): { config: SourceConfig; secrets: SecretAccess | null } {
  if (value === undefined)
    throw new CliError(`poll needs --source '{"kind":"rss","url":"https://..."}'`, 2)
  const raw = parseJsonOption('source', value)
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliError('--source must be a JSON object', 2)
  }
  const { credentials, ...input } = raw as Record<string, unknown>
  const kind = input['kind'] ?? (input['url'] === undefined ? undefined : 'rss')
  const parsed = sourceConfigSchema.safeParse({
    id: 'cli',
    name: defaultName(kind, input),
    paused: false,
    intervalSec: intervalFor(kind),
    createdAt: now,
    ...input,
    kind,
  })
  if (!parsed.success)
    throw new CliError(`--source is not a valid source (${issue(parsed.error)})`, 2)
  if (credentials === undefined) return { config: parsed.data, secrets: null }
  const schema = credentialSchemaFor(parsed.data.kind)
  if (!schema) throw new CliError(`${parsed.data.kind} sources take no credentials`, 2)
  const typed = schema.safeParse(credentials)
  if (!typed.success) {
    // The field only: a validator's words must not carry what was typed into a terminal log.
    const field = typed.error.issues[0]?.path.join('.') || 'the object'
    throw new CliError(`--source has invalid credentials (credentials.${field})`, 2)
  }
  return { config: parsed.data, secrets: memorySecrets(typed.data) }
}

/** The same defaults as adding the source in the app; apiBase defaults in the schema. */
function intervalFor(kind: unknown): number {
  if (kind === 'demo') return 5
  if (kind === 'mastodon') return MASTODON_INTERVAL_SEC
  if (kind === 'bluesky') return BLUESKY_INTERVAL_SEC
  if (kind === 'reddit') return REDDIT_INTERVAL_SEC
  return kind === 'hn' ? HN_INTERVAL_SEC : 900
}

function defaultName(kind: unknown, input: Record<string, unknown>): string {
  if (kind === 'hn') return 'Hacker News'
  if (kind === 'bluesky' && typeof input['identifier'] === 'string') {
    return `Bluesky @${input['identifier']}`.slice(0, 120)
  }
  if (kind === 'reddit' && typeof input['username'] === 'string') {
    return `Reddit u/${input['username']}`.slice(0, 120)
  }
  if (kind === 'mastodon') {
    const { instance, hashtags } = input
    const tags = Array.isArray(hashtags) ? hashtags.filter((t) => typeof t === 'string') : []
    // A bad instance or tag list is reported by the schema; the name only needs to be harmless.
    if (typeof instance !== 'string' || tags.length === 0) return 'Mastodon'
    try {
      return mastodonName(instance, tags)
    } catch {
      return 'Mastodon'
    }
  }
  return typeof input['url'] === 'string' ? hostOf(input['url']) : 'CLI'
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'CLI'
  } catch {
    return 'CLI'
  }
}

async function pollCommand(
  args: readonly string[],
  print: (value: unknown) => void,
): Promise<void> {
  const { positional, options } = parseFlags(args, ['source', 'brand'])
  if (positional.length > 0) throw new CliError(`Unexpected argument ${positional[0] ?? ''}`, 2)
  const now = Date.now()
  const { config, secrets } = parseSource(options.get('source'), now)
  const profile = parseBrand(options.get('brand'))
  let mentions: Mention[]
  try {
    const version = process.env['npm_package_version'] ?? 'dev'
    const result = await pollSourceOnce(config, {
      profile,
      version,
      ...(secrets ? { secrets } : {}),
    })
    const triage = createTriage(() => profile)
    mentions = result.mentions.map((heard) => triage.score(heard, now))
  } catch (cause) {
    // A server may echo what it was sent; the typed secrets never reach the terminal.
    const known = [secrets?.get() ?? null]
    if (cause instanceof SourceError) throw new CliError(scrubSecrets(cause.message, known))
    // eslint-disable-next-line preserve-caught-error -- the cause may hold the secrets themselves
    throw new Error(scrubSecrets(describeError(cause), known))
  }
  for (const mention of mentions) {
    print({
      id: mention.id,
      source: mention.sourceId,
      platform: mention.platform,
      url: mention.url,
      author: mention.author,
      title: mention.title,
      text: mention.text,
      createdAt: new Date(mention.createdAt).toISOString(),
      ...summary(mention.triage),
      reasons: mention.triage.reasons,
    })
  }
}

/** Runs one command; returns the exit code. Output goes through `out` and `err` (one line each). */
async function runCli(
  args: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [command, ...rest] = args
  const print = (value: unknown) => out(JSON.stringify(value))
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out(usage)
      return 0
    }
    if (command === 'triage') await triageCommand(rest, print, err)
    else if (command === 'poll') await pollCommand(rest, print)
    else throw new CliError(`Unknown command "${command}". Try: npm run cli -- help`, 2)
    return 0
  } catch (cause) {
    // One plain line, never a stack trace: the reader is a person at a terminal or a script.
    err(cause instanceof CliError ? cause.message : `Failed: ${describeError(cause)}`)
    return cause instanceof CliError ? cause.code : 1
  }
}

async function main(): Promise<void> {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (cause: NodeJS.ErrnoException) => {
    if (cause.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  })
  process.exitCode = await runCli(
    process.argv.slice(2),
    (line) => process.stdout.write(line + '\n'),
    (line) => process.stderr.write(line + '\n'),
  )
}

void main()
