import { z } from 'zod'
import { URGENT_AT } from './domain'

/* The responder's notification policy: what may interrupt, when, and how often. */

/** What kind of thing an alert is about; each can be switched off on its own. */
export const severitySchema = z.enum(['urgent', 'crisis', 'spike', 'silence'])
export type Severity = z.infer<typeof severitySchema>

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time such as 22:00')

/**
 * When the volume of one topic (brand, product, competitor) in an hour counts as a spike, against
 * the usual count for that hour of the week.
 */
export const spikeThresholdsSchema = z.object({
  /** Fewer mentions in the hour than this never make a spike. */
  minCount: z.number().int().min(1).max(100_000),
  /** Fires at this many times the usual count... */
  ratio: z.number().min(1.1).max(100),
  /** ...or this many standard deviations above it. */
  z: z.number().min(1).max(20),
  /** After a spike on a topic, the same alert stays quiet this long. */
  coolDownMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60),
  /** A rise of the negative share by this many points over its usual level is its own alert. */
  shareJumpPercent: z.number().int().min(5).max(100),
})
export type SpikeThresholds = z.infer<typeof spikeThresholdsSchema>

/** Ten mentions at least, three times the usual or three deviations above, quiet for 3 hours. */
export const defaultSpikeThresholds = (): SpikeThresholds => ({
  minCount: 10,
  ratio: 3,
  z: 3,
  coolDownMinutes: 180,
  shareJumpPercent: 25,
})

export const notificationPolicySchema = z.object({
  /** Off: nothing interrupts (the tray count still counts). */
  enabled: z.boolean(),
  /** Urgency at or above which a mention interrupts. */
  urgencyThreshold: z.number().int().min(1).max(100),
  /** In the machine's local time; `start` after `end` crosses midnight. */
  quietHours: z.object({ enabled: z.boolean(), start: clockTime, end: clockTime }),
  /** Mentions with crisis words (legal, safety, health, security) still interrupt in quiet hours. */
  crisisBreaksThrough: z.boolean(),
  /** Source id → whether its mentions may interrupt; a source not listed may. */
  perSource: z.record(z.string().max(80), z.boolean()),
  perSeverity: z.object({
    urgent: z.boolean(),
    crisis: z.boolean(),
    spike: z.boolean(),
    silence: z.boolean(),
  }),
  /** An unacknowledged urgent mention is notified again every `everyMinutes`, at most `maxTimes`. */
  repeat: z.object({
    everyMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    maxTimes: z.number().int().min(0).max(20),
  }),
  /** What did not interrupt, summed up every `everyMinutes`. */
  digest: z.object({
    enabled: z.boolean(),
    everyMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
  }),
  /** Policies saved before spike thresholds were editable read as the defaults. */
  spikes: spikeThresholdsSchema.default(defaultSpikeThresholds),
})
export type NotificationPolicy = z.infer<typeof notificationPolicySchema>

export const defaultNotificationPolicy = (): NotificationPolicy => ({
  enabled: true,
  urgencyThreshold: URGENT_AT,
  quietHours: { enabled: false, start: '22:00', end: '07:00' },
  crisisBreaksThrough: true,
  perSource: {},
  perSeverity: { urgent: true, crisis: true, spike: true, silence: true },
  repeat: { everyMinutes: 15, maxTimes: 3 },
  digest: { enabled: true, everyMinutes: 60 },
  spikes: defaultSpikeThresholds(),
})
