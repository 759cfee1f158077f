import { z } from 'zod'
import { URGENT_AT } from './domain'

/* The responder's notification policy: what may interrupt, when, and how often. */

/** What kind of thing an alert is about; each can be switched off on its own. */
export const severitySchema = z.enum(['urgent', 'crisis', 'spike', 'silence'])
export type Severity = z.infer<typeof severitySchema>

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time such as 22:00')

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
})
