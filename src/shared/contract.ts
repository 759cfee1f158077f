import { z } from 'zod'
import {
  alertSchema,
  batchSchema,
  brandProfileSchema,
  mentionSchema,
  sourceInputSchema,
  sourceViewSchema,
} from './domain'
import { err, ok, type Result } from './result'

const none = z.object({}).strict()
const sourceRef = z.object({ id: z.string().min(1).max(80) }).strict()

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
  /** Removes a source; the mentions it brought stay in the history. */
  'sources:remove': { input: sourceRef, output: z.object({}) },
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
} as const

/** Everything main tells the renderer. Main to renderer only. */
export const events = {
  /** A batch of new mentions from the journal; store it, then ack its `seq`. */
  'mentions:batch': batchSchema,
  /** Source list or health changed. */
  'sources:changed': z.array(sourceViewSchema),
  /** A mention deserves a notification; the web host shows it with the browser's Notification API. */
  'alerts:notify': alertSchema,
  /** Bring this mention to the front (an OS notification was clicked). */
  'ui:openMention': z.object({ mentionId: z.string().max(2600) }),
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
