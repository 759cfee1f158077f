import { z } from 'zod'
import {
  alertSchema,
  batchSchema,
  brandProfileSchema,
  intentSchema,
  mentionSchema,
  platformSchema,
  sentimentLabelSchema,
  sourceEditSchema,
  sourceInputSchema,
  sourceViewSchema,
  triageSchema,
} from './domain'
import { notificationPolicySchema } from './alert-policy'
import { err, ok, type Result } from './result'
import { routingSettingsSchema } from './routing'
import { replyRecordSchema, replyResolveSchema, replySendSchema } from './replies'
import { templateListSchema } from './templates'
import { handoffPacketSchema } from './handoff'
import { backupCalls } from './backup'

/** Characters of an imported model per message: well under the web host's 1 MB frame. */
export const MODEL_CHUNK_CHARS = 256 * 1024

const none = z.object({}).strict()

/** Whether main can reach the network: offline when no source's server answers; since when. */
export const networkStatusSchema = z.object({ offline: z.boolean(), since: z.number().nullable() })
export type NetworkStatus = z.infer<typeof networkStatusSchema>
const sourceRef = z.object({ id: z.string().min(1).max(80) }).strict()

/**
 * An OPML file's size limit, in characters: about a thousand feeds. It goes to main as one message,
 * and even escaped to the worst (six bytes a character) it stays under the web host's 1 MB frame.
 */
export const OPML_MAX_CHARS = 160_000

/** What an OPML import did: the sources added, the feeds already there, what it could not read. */
export const opmlImportSchema = z.object({
  added: z.array(sourceViewSchema),
  already: z.number().int().nonnegative(),
  refused: z.array(z.object({ feed: z.string(), reason: z.string() })),
})
export type OpmlImport = z.infer<typeof opmlImportSchema>

/** What the responder's corrections taught triage so far. */
const learnerModelSchema = z.object({
  corrections: z.number().int().nonnegative(),
  byKind: z.object({
    intent: z.number().int().nonnegative(),
    sentiment: z.number().int().nonnegative(),
    urgent: z.number().int().nonnegative(),
  }),
  updatedAt: z.number().int().nonnegative().nullable(),
})

/**
 * Every call across the process boundary: `domain:verb`, one object argument, a `Result` reply.
 * Inputs are parsed on the receiving side; outputs describe what main promises to send.
 */
export const calls = {
  /** Which host runs the app, its version, and problems found in the config files at start. */
  'app:info': {
    input: none,
    output: z.object({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      dataDir: z.string(),
      configProblems: z.array(z.string()),
    }),
  },
  /** The brand profile, or null before first-run setup. */
  'profile:get': { input: none, output: brandProfileSchema.nullable() },
  /** Saves the brand profile (validated) and re-scores nothing already stored. */
  'profile:save': {
    input: z.object({ profile: brandProfileSchema }).strict(),
    output: brandProfileSchema,
  },
  /** Every configured source with its health. Holds no secrets. */
  'sources:list': { input: none, output: z.array(sourceViewSchema) },
  /** Adds a source; it is polled soon, spread so that no two start together. */
  'sources:add': {
    input: z.object({ source: sourceInputSchema }).strict(),
    output: sourceViewSchema,
  },
  /** Pauses or resumes a source. */
  'sources:setPaused': {
    input: z.object({ id: z.string().min(1).max(80), paused: z.boolean() }).strict(),
    output: sourceViewSchema,
  },
  /**
   * Renames a source or changes how often it is checked; its health, cursor and history stay. A
   * new interval takes effect from the next check. The Demo cannot be edited.
   */
  'sources:update': {
    input: z.object({ id: z.string().min(1).max(80), changes: sourceEditSchema }).strict(),
    output: sourceViewSchema,
  },
  /** Removes a source; the mentions it brought stay in the history. */
  'sources:remove': { input: sourceRef, output: z.object({}) },
  /**
   * Checks a source now instead of at its next check, and answers once that poll is done (its
   * health then says how it went). Refused while the source is paused, while its sign-in stands
   * refused, and while its platform has asked Earshot to wait (a rate limit is honoured, never
   * skipped).
   */
  'sources:checkNow': { input: sourceRef, output: sourceViewSchema },
  /**
   * Journal batches after `afterSeq`, oldest first, a page at a time (`more` says there are
   * further pages). Asking also acks `afterSeq`. `journal` names the journal: when it differs from
   * the one the renderer last stored from (a new data folder), its sequence numbers start afresh.
   */
  'delivery:pending': {
    input: z.object({ afterSeq: z.number().int().nonnegative() }).strict(),
    output: z.object({ journal: z.string(), batches: z.array(batchSchema), more: z.boolean() }),
  },
  /** The renderer stored every batch up to and including `seq`; main may forget them. */
  'delivery:ack': {
    input: z.object({ seq: z.number().int().positive() }).strict(),
    output: z.object({}),
  },
  /**
   * Opens a link in the system browser, after the URL allow-list. The web host answers `page`:
   * the page is already in the user's browser, so it opens a new tab itself (noopener).
   */
  'shell:openExternal': {
    input: z.object({ url: z.string().max(4096) }).strict(),
    output: z.object({ openedBy: z.enum(['host', 'page']) }),
  },
  /** The number of unhandled urgent mentions, for the tray and the dock badge. */
  'alerts:setUnhandled': {
    input: z.object({ count: z.number().int().nonnegative().max(1_000_000) }).strict(),
    output: z.object({}),
  },
  /** The notification policy: threshold, quiet hours, switches, repeats, digest. */
  'alerts:getPolicy': { input: none, output: notificationPolicySchema },
  /** Saves the notification policy (validated); it applies to the next mention heard. */
  'alerts:savePolicy': {
    input: z.object({ policy: notificationPolicySchema }).strict(),
    output: notificationPolicySchema,
  },
  /**
   * A reminder the page keeps (a hand-off's follow-up falling due) goes out as a notification the
   * way alerts do, once; `notified` is false when notifications are off or quiet hours hold.
   */
  'alerts:remind': {
    input: z
      .object({
        mentionId: z.string().min(1).max(2600),
        title: z.string().min(1).max(200),
        body: z.string().max(400),
      })
      .strict(),
    output: z.object({ notified: z.boolean() }),
  },
  /** The responder opened or handled this mention: its notification is not repeated. */
  'alerts:acknowledge': {
    input: z.object({ mentionId: z.string().min(1).max(2600) }).strict(),
    output: z.object({}),
  },
  /**
   * The responder corrects a mention's intent, sentiment and/or "urgent": the on-device model
   * learns it at once (and saves it soon), and the mention comes back re-scored with it. `text` is
   * the mention's text as triage reads it (title and body); the rest as the mention has them.
   */
  'triage:correct': {
    input: z
      .object({
        text: z.string().min(1).max(20_000),
        platform: platformSchema.optional(),
        directed: z.boolean().optional(),
        followers: z.number().int().nonnegative().max(10_000_000_000).optional(),
        createdAt: z.number().int().nonnegative().optional(),
        intent: intentSchema.optional(),
        sentiment: sentimentLabelSchema.optional(),
        urgent: z.boolean().optional(),
      })
      .strict()
      .refine(
        (input) =>
          input.intent !== undefined || input.sentiment !== undefined || input.urgent !== undefined,
        'Say the correct intent, sentiment or urgency',
      ),
    output: z.object({ triage: triageSchema, corrections: z.number().int().nonnegative() }),
  },
  /** How many corrections the model has learned, by kind, and when it last learned. */
  'triage:model': { input: none, output: learnerModelSchema },
  /** Forgets every correction: triage goes back to the rules alone. */
  'triage:resetModel': { input: none, output: learnerModelSchema },
  /** The learned model as JSON, for a backup or another machine. */
  'triage:exportModel': { input: none, output: z.object({ json: z.string() }) },
  /**
   * Replaces the learned model with one exported before (here or on another machine). A model
   * can be larger than one message, so its JSON arrives in parts, in order; the last part
   * applies it and answers the new summary, the others answer null.
   */
  'triage:importModel': {
    input: z
      .object({
        uploadId: z.string().min(8).max(80),
        index: z.number().int().min(0).max(255),
        count: z.number().int().min(1).max(256),
        chunk: z.string().max(MODEL_CHUNK_CHARS),
      })
      .strict()
      .refine((input) => input.index < input.count, 'The part is past the last one'),
    output: learnerModelSchema.nullable(),
  },
  /** The routing rules, in order, and the departments they route to. */
  'routing:get': { input: none, output: routingSettingsSchema },
  /**
   * Replaces the rules and departments together. Refused, in words, when ids or names repeat or a
   * rule names a department that does not exist. New mentions are routed by the saved rules.
   */
  'routing:save': { input: routingSettingsSchema.strict(), output: routingSettingsSchema },
  /**
   * "Test connection": checks a source as `sources:add` would (a poll with the typed credentials)
   * and saves nothing. A failure is an error in plain words; secrets never appear in either.
   */
  'sources:test': {
    input: z.object({ source: sourceInputSchema }).strict(),
    output: z.object({ found: z.number().int().nonnegative(), message: z.string() }),
  },
  /**
   * Adds the feeds of an OPML file (another reader's export) as RSS sources, each checked on its
   * first poll rather than before: a hundred feeds would otherwise take minutes to add. Feeds that
   * are already sources are counted, not added again; what cannot be read is listed with the
   * reason. A file that is not OPML is refused in words and adds nothing.
   */
  'sources:importOpml': {
    input: z.object({ opml: z.string().min(1).max(OPML_MAX_CHARS) }).strict(),
    output: opmlImportSchema,
  },
  /** The RSS sources as an OPML file, for another reader or another copy of Earshot. */
  'sources:exportOpml': {
    input: none,
    output: z.object({ opml: z.string(), feeds: z.number().int().nonnegative() }),
  },
  /**
   * Replaces a source's credentials (checked against its kind's fields) and polls it soon; a
   * rejected sign-in ('credential-invalid') waits for exactly this. The reply says only `credential`.
   */
  'sources:setCredentials': {
    input: z
      .object({
        id: z.string().min(1).max(80),
        credentials: z.record(z.string().max(100), z.string().max(1000)),
      })
      .strict(),
    output: sourceViewSchema,
  },
  /** Whether polling is paused because the network is gone (it resumes by itself). */
  'network:status': { input: none, output: networkStatusSchema },
  /** The reply templates (the seeded answers until the responder edits them). */
  'templates:list': { input: none, output: templateListSchema },
  /** Replaces every template (validated: ids unique, fields named as variables). */
  'templates:save': {
    input: z.object({ templates: templateListSchema }).strict(),
    output: templateListSchema,
  },
  /**
   * Posts a reply through the mention's source. The intent is stored before any request, with
   * `clientId` as the platform's idempotency key; sending the same `clientId` again returns the
   * stored reply and posts nothing more. The reply comes back in its state (usually `sending`).
   */
  'replies:send': { input: replySendSchema, output: replyRecordSchema },
  /** The outbox: every reply not yet sent, and recent sent ones, newest first. */
  'replies:list': { input: none, output: z.array(replyRecordSchema) },
  /**
   * The responder settles a reply whose outcome is unknown (or that failed): it was `sent` after
   * all, `retry` it (same idempotency key), or `discard` it from the outbox.
   */
  'replies:resolve': { input: replyResolveSchema, output: replyRecordSchema.nullable() },
  /** How many characters a reply through this source may have, as its platform counts them. */
  'replies:limit': {
    input: sourceRef,
    output: z.object({ platform: platformSchema, limit: z.number().int().positive().nullable() }),
  },
  /**
   * Sends a hand-off packet to a department's webhook as Slack-compatible JSON (`{text, blocks}`).
   * `delivered` is true for a 2xx answer. The webhook's address never appears in replies or logs.
   */
  'handoff:send': {
    input: z
      .object({ departmentId: z.string().min(1).max(40), packet: handoffPacketSchema })
      .strict(),
    output: z.object({ delivered: z.boolean(), status: z.number().int() }),
  },
  /**
   * The conversation around a mention as its platform has it (ancestors, the mention, replies),
   * oldest first, through the source's connector; just the mention for kinds without threads.
   */
  'mentions:thread': {
    input: z.object({ mention: mentionSchema }).strict(),
    output: z.array(mentionSchema.omit({ triage: true })),
  },
  /**
   * Scores mentions the renderer read from an imported file with the brand profile's triage, as
   * if heard now. Bounded: a file is sent a page at a time.
   */
  'triage:batch': {
    input: z
      .object({ items: z.array(mentionSchema.omit({ triage: true }).strict()).max(500) })
      .strict(),
    output: z.array(mentionSchema),
  },
  /** Scheduled backups in the data dir: written, listed and read back in chunks (shared/backup.ts). */
  ...backupCalls,
} as const

/** Everything main tells the renderer. Main to renderer only. */
export const events = {
  /** A batch of new mentions from the journal; store it, then ack its `seq`. */
  'mentions:batch': batchSchema,
  /** Source list or health changed. */
  'sources:changed': z.array(sourceViewSchema),
  /** A mention deserves a notification; the web host shows it with the browser's Notification API. */
  'alerts:notify': alertSchema,
  /**
   * Bring this mention to the front (an OS notification was clicked). A spike or digest also
   * names its posts and title: the queue opens filtered to them.
   */
  'ui:openMention': z.object({
    mentionId: z.string().max(2600),
    mentionIds: z.array(z.string().max(2600)).max(200).optional(),
    title: z.string().max(200).optional(),
  }),
  /**
   * Show the most urgent unhandled mention the page holds (Electron's global shortcut): main
   * cannot pick it, since the responder's states live in the page's database.
   */
  'ui:openMostUrgent': z.object({}).strict(),
  /** The network went away (polling paused) or came back (polling resumes). */
  'network:changed': networkStatusSchema,
  /** A reply changed state (queued, sending, sent, failed, unknown) or left the outbox. */
  'replies:changed': z.array(replyRecordSchema),
} as const

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
export type CallArgs<N extends CallName> = z.output<Calls[N]['input']>
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export const callNames = Object.keys(calls) as CallName[]
export const eventNames = Object.keys(events) as EventName[]

export const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.hasOwn(calls, name)

export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(events, name)

/** The one client of the contract the renderer sees, whatever the host. */
export type EarshotClient = {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Checks an untrusted call: a known name and an input its schema accepts. Never throws. */
export function parseCall(
  name: unknown,
  input: unknown,
): Result<{ name: CallName; input: unknown }> {
  if (!isCallName(name)) return err('unknown-call', 'Unknown call')
  const parsed = calls[name].input.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    return err(
      'invalid-input',
      `Invalid input for ${name}${where}: ${issue?.message ?? 'rejected'}`,
    )
  }
  return ok({ name, input: parsed.data })
}

/** The handlers a host binds to the contract: one per call, receiving parsed input. */
export type CallHandlers = {
  [N in CallName]: (input: CallArgs<N>) => Promise<Result<CallOutput<N>>>
}

/** Parses then dispatches one untrusted call. The single path every host uses. */
export async function dispatchCall(
  handlers: CallHandlers,
  name: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  const parsed = parseCall(name, input)
  if (!parsed.ok) return parsed
  const handler = handlers[parsed.value.name] as (input: unknown) => Promise<Result<unknown>>
  try {
    return await handler(parsed.value.input)
  } catch {
    return err('internal', `${parsed.value.name} failed unexpectedly`)
  }
}
