/* Messages between the Reports screen and its Web Worker. Both sides parse what they receive. */
import { z } from 'zod'
import { sentimentLabelSchema } from '../../../../shared/domain'
import type { Report } from './compute/types'

const epoch = z.number().int().nonnegative()
const name = z.string().max(200)

export const businessHoursSchema = z
  .object({
    days: z.array(z.number().int().min(0).max(6)).max(7),
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(1).max(24),
  })
  .refine((hours) => hours.endHour > hours.startHour, {
    message: 'The working day must end after it starts',
  })

export const reportSettingsSchema = z.object({
  from: epoch,
  to: epoch,
  now: epoch,
  hours: businessHoursSchema,
  terms: z.object({
    brand: name,
    handles: z.array(name).max(50),
    products: z.array(name).max(100),
    competitors: z.array(name).max(100),
  }),
  minutes: z.union([
    z.literal('measured'),
    z
      .number()
      .positive()
      .max(24 * 60),
  ]),
})

export const drillSpecSchema = z.object({
  title: z.string().max(300),
  from: epoch,
  to: epoch,
  sourceId: name.optional(),
  community: name.optional(),
  termKind: z.enum(['brand', 'product', 'competitor']).optional(),
  term: name.optional(),
  sentiment: sentimentLabelSchema.optional(),
  directed: z.boolean().optional(),
  conversation: z.boolean().optional(),
  ids: z.array(z.string().max(2600)).max(10_000).optional(),
})

const runId = z.number().int().nonnegative()

/** What the page asks. A newer run (or drill) or a cancel stops the one before; run ids never repeat. */
export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), runId, settings: reportSettingsSchema }),
  z.object({ type: z.literal('cancel'), runId }),
  z.object({
    type: z.literal('drill'),
    runId,
    settings: reportSettingsSchema,
    spec: drillSpecSchema,
    limit: z.number().int().positive().max(10_000),
  }),
])
export type ToWorker = z.infer<typeof toWorkerSchema>

/** What the worker says back, each message tagged with the run it belongs to. */
export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), runId, done: z.number().int(), total: z.number().int() }),
  z.object({
    type: z.literal('result'),
    runId,
    // The worker is this page's own code: the shape is checked, not every figure again.
    report: z.custom<Report>(
      (value) =>
        typeof value === 'object' && value !== null && Array.isArray((value as Report).volume),
    ),
    /** Milliseconds per step of the run (read, decode, count, quotes...): what a slow report cost. */
    steps: z.record(z.string(), z.number()).optional(),
  }),
  z.object({
    type: z.literal('drilled'),
    runId,
    /** Newest first, at most the asked limit. */
    ids: z.array(z.string()),
    total: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('cancelled'), runId }),
  z.object({ type: z.literal('error'), runId, message: z.string() }),
])
export type FromWorker = z.infer<typeof fromWorkerSchema>
