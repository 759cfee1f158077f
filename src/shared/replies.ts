import { z } from 'zod'
import { mentionSchema, platformSchema } from './domain'

/* The reply outbox as main keeps it and the composer shows it. */

/**
 * `queued`: waiting to be sent (offline, or the network failed before the platform had it);
 * `sending`: the request is out; `sent`: the platform has it; `failed`: the platform refused it
 * (with words why); `unknown`: no answer came in time, so it may or may not be posted: the
 * responder checks and resolves it, it is never retried blindly.
 */
export const replyStateSchema = z.enum(['queued', 'sending', 'sent', 'failed', 'unknown'])
export type ReplyState = z.infer<typeof replyStateSchema>

export const clientIdSchema = z.uuid()

export const replyRecordSchema = z.object({
  /** Made by the composer once per reply intent; the platform's idempotency key. */
  clientId: clientIdSchema,
  mentionId: z.string().min(1).max(2600),
  sourceId: z.string().max(80),
  platform: platformSchema,
  /** The mention answered, as stored when the reply was written. */
  mention: mentionSchema,
  text: z.string().min(1).max(10_000),
  state: replyStateSchema,
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  /** Requests made so far (network failures before the platform had it included). */
  attempts: z.number().int().nonnegative(),
  /** When a queued reply is tried next. */
  nextAttemptAt: z.number().int().nonnegative().nullable(),
  /** Why it failed, is queued again or is unknown, in words for the responder. */
  error: z.string().max(1000).nullable(),
  /** The posted reply's id and link, once sent (null when the responder said it was sent). */
  remoteId: z.string().max(2600).nullable(),
  url: z.string().max(4096).nullable(),
})
export type ReplyRecord = z.infer<typeof replyRecordSchema>

export const replySendSchema = z
  .object({
    mentionId: z.string().min(1).max(2600),
    mention: mentionSchema,
    text: z.string().trim().min(1, 'Write the reply first').max(10_000),
    clientId: clientIdSchema,
  })
  .strict()
  .refine((input) => input.mention.id === input.mentionId, 'The mention does not match its id')

export const replyResolveSchema = z
  .object({ clientId: clientIdSchema, outcome: z.enum(['sent', 'retry', 'discard']) })
  .strict()

export const replyStateWords: Record<ReplyState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  unknown: 'Unknown, check',
}
