/* Alerting in main: every fresh batch goes through the policy; repeats and digests run on timers. */
import { join } from 'node:path'
import { z } from 'zod'
import {
  defaultNotificationPolicy,
  notificationPolicySchema,
  severitySchema,
  type NotificationPolicy,
  type SpikeThresholds,
} from '../../shared/alert-policy'
import { alertSchema, type Alert, type BrandProfile, type Mention } from '../../shared/domain'
import { loadJsonFile, writeJsonFile } from '../journal/json-file'
import type { Logger } from '../log'
import {
  addToDigest,
  decide,
  digestAlert,
  emptyDigest,
  inQuietHours,
  isEmptyDigest,
  localMinuteOfDay,
  mentionAlert,
  reminderHeld,
  spikeAlert,
  type AlertCandidate,
  type MinuteOfDay,
} from './notify-policy'
import { truncate } from './policy'
import {
  createSpikeDetector,
  spikeSnapshotSchema,
  type SpikeDetector,
  type SpikeOptions,
} from './spikes'

/** The detector's options from the responder's thresholds. */
export const spikeOptionsOf = (thresholds: SpikeThresholds): SpikeOptions => ({
  minCount: thresholds.minCount,
  ratio: thresholds.ratio,
  z: thresholds.z,
  coolDownMs: thresholds.coolDownMinutes * 60_000,
  shareJump: thresholds.shareJumpPercent / 100,
})

/** How often due repeats and digests are looked for. */
const TICK_MS = 30_000
/** Baselines change with every mention: saved at most this often, and on stop. */
const SPIKE_SAVE_MS = 10_000
/**
 * What batches change (digest counts, pending repeats) is saved at most this often, and on flush
 * and stop: a busy cycle of 200 sources wrote alert-state.json 130 times, each an fsync'd
 * temp-file-and-rename. A crash loses at most this much of the digest's tally.
 */
const STATE_SAVE_MS = 1_000
/** Unacknowledged mentions remembered for repeats; past this the oldest are let go. */
const MAX_REPEATS = 100
/** More reminders due at once than this become one reminder that opens them all. */
const REMINDERS_APART = 3

const policyFileSchema = z.object({ version: z.literal(1), policy: notificationPolicySchema })

const repeatSchema = z.object({
  mentionId: z.string().max(2600),
  sourceId: z.string().max(80),
  severity: severitySchema,
  alert: alertSchema,
  nextAt: z.number(),
  sent: z.number().int().nonnegative(),
})
type PendingRepeat = z.infer<typeof repeatSchema>

const stateFileSchema = z.object({
  version: z.literal(1),
  repeats: z.array(repeatSchema).max(MAX_REPEATS),
  digest: z.object({
    since: z.number(),
    count: z.number().int().nonnegative(),
    held: z.number().int().nonnegative(),
    heldOther: z.number().int().nonnegative(),
    top: z
      .array(
        z.object({
          mentionId: z.string().max(2600),
          line: z.string().max(400),
          urgency: z.number(),
        }),
      )
      .max(3),
    ids: z.array(z.string().max(2600)).max(200),
  }),
  lastDigestAt: z.number(),
  /** Follow-up reminders the page raised in quiet hours, shown when they end. */
  heldReminders: z.array(alertSchema).max(MAX_REPEATS).default([]),
})
type AlertState = z.infer<typeof stateFileSchema>

export type Timers = {
  setInterval(run: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

const realTimers: Timers = {
  setInterval: (run, ms) => {
    const handle = setInterval(run, ms)
    handle.unref()
    return handle
  },
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
}

export type AlertingDeps = {
  dataDir: string
  notify: (alert: Alert) => void
  logger: Logger
  now?: () => number
  /** The brand profile: spikes are watched for its brand, products and competitors. */
  getProfile?: () => BrandProfile | null
  minuteOfDay?: MinuteOfDay
  timers?: Timers
  spikes?: SpikeOptions
}

/**
 * A routing rule's say on one mention: `forceNotify` interrupts even below the threshold,
 * `suppress` keeps it quiet (it still counts in the digest). The hook for rules that notify.
 */
export type RuleHint = (mention: Mention) => { forceNotify?: boolean; suppress?: boolean }

export type Alerting = {
  /** Files that could not be read at start, in the responder's words. */
  problems: string[]
  start(): Promise<void>
  /** A freshly journaled batch: notify, hold for the digest, and feed the spike baselines. */
  onBatch(mentions: readonly Mention[], hint?: RuleHint): void
  /** A source that went silent (its alert from `silenceNotice`). */
  onSilence(sourceId: string, alert: Alert): void
  /**
   * A reminder the page raised (a follow-up due): shown through the same notifier, once (never
   * repeated). Notifications off: dropped. Quiet hours: held, and shown when they end, unless the
   * mention is acknowledged first. Returns whether it was shown now.
   */
  remind(alert: Alert): boolean
  /** The mention was opened or handled: no more repeats for it. */
  acknowledge(mentionId: string): Promise<void>
  getPolicy(): NotificationPolicy
  savePolicy(policy: NotificationPolicy): Promise<NotificationPolicy>
  /** Sends the repeats and digest that are due. The timer calls it; tests may too. */
  tick(): void
  /** Waits for pending writes. */
  flush(): Promise<void>
  stop(): Promise<void>
}

export function createAlerting(deps: AlertingDeps): Alerting {
  const now = deps.now ?? Date.now
  const minuteOfDay = deps.minuteOfDay ?? localMinuteOfDay
  const timers = deps.timers ?? realTimers
  const { logger } = deps
  const policyPath = join(deps.dataDir, 'alerts.json')
  const statePath = join(deps.dataDir, 'alert-state.json')
  const spikesPath = join(deps.dataDir, 'spikes.json')
  let policy = defaultNotificationPolicy()
  let state: AlertState = {
    version: 1,
    repeats: [],
    digest: emptyDigest(now()),
    lastDigestAt: now(),
    heldReminders: [],
  }
  /** Tests may fix the options; otherwise they follow the policy. */
  const spikeOptions = (): SpikeOptions => ({
    ...(deps.spikes ?? spikeOptionsOf(policy.spikes)),
    now,
  })
  let detector: SpikeDetector = createSpikeDetector(spikeOptions())
  let ticker: unknown = null
  let spikeTimer: ReturnType<typeof setTimeout> | null = null
  let writing: Promise<void> = Promise.resolve()
  const problems: string[] = []

  /** Queues one write after the ones before it; a failed save is logged, never thrown. */
  const enqueue = (what: string, write: () => Promise<void>) => {
    writing = writing
      .then(write)
      .catch((cause: unknown) => logger.warn(`could not save ${what}`, { error: cause }))
    return writing
  }
  let stateQueued: Promise<void> | null = null
  let stateTimer: ReturnType<typeof setTimeout> | null = null
  /** Coalesced: a burst of batches writes the latest state once after the write in progress. */
  const saveState = () => {
    if (stateTimer) clearTimeout(stateTimer)
    stateTimer = null
    return saveStateNow()
  }
  const saveStateSoon = () => {
    if (stateTimer) return
    stateTimer = setTimeout(() => void saveState(), STATE_SAVE_MS)
    stateTimer.unref()
  }
  const saveStateNow = () =>
    (stateQueued ??= enqueue('pending alerts', () => {
      stateQueued = null
      return writeJsonFile(statePath, state)
    }))

  const topicNames = (): Set<string> | null => {
    const profile = deps.getProfile?.()
    if (!profile) return null
    return new Set([profile.brand, ...profile.products, ...profile.competitors])
  }
  const saveSpikes = () => {
    spikeTimer = null
    const names = topicNames()
    const snapshot = detector.snapshot(names ? (name) => names.has(name) : undefined)
    return enqueue('spike baselines', () => writeJsonFile(spikesPath, snapshot))
  }

  function remember(mention: Mention, severity: PendingRepeat['severity'], alert: Alert): void {
    if (policy.repeat.maxTimes === 0) return
    const repeats = state.repeats.filter((entry) => entry.mentionId !== mention.id)
    repeats.push({
      mentionId: mention.id,
      sourceId: mention.sourceId,
      severity,
      alert,
      nextAt: now() + policy.repeat.everyMinutes * 60_000,
      sent: 0,
    })
    state = { ...state, repeats: repeats.slice(-MAX_REPEATS) }
  }

  function onMention(candidate: AlertCandidate & { kind: 'mention' }): void {
    const { mention } = candidate
    const decision = decide(candidate, policy, now(), minuteOfDay)
    if (decision.action === 'notify') {
      const alert = mentionAlert(mention)
      deps.notify(alert)
      remember(mention, decision.severity, alert)
      return
    }
    if (policy.enabled) {
      state = { ...state, digest: addToDigest(state.digest, mention, decision.action === 'hold') }
    }
  }

  const holdOther = () => {
    if (!policy.enabled) return
    state = { ...state, digest: { ...state.digest, heldOther: state.digest.heldOther + 1 } }
  }

  function onSpikes(mention: Mention, batch: readonly Mention[], names: Set<string> | null): void {
    for (const name of mention.triage.matched) {
      if (names && !names.has(name)) continue
      for (const spike of detector.observe(mention, name)) {
        const driving = new Set(spike.mentionIds)
        const inBatch = batch.filter((other) => driving.has(other.id))
        const lead = inBatch.reduce<Mention | undefined>(
          (best, other) => (!best || other.triage.urgency > best.triage.urgency ? other : best),
          undefined,
        )
        const sourceIds = [...new Set(inBatch.map((other) => other.sourceId))]
        const decision = decide({ kind: 'spike', spike, sourceIds }, policy, now(), minuteOfDay)
        logger.info('spike', { topic: spike.topic, kind: spike.kind, count: spike.count })
        if (decision.action === 'notify') {
          deps.notify(spikeAlert(spike, lead?.id ?? spike.mentionIds.at(-1) ?? mention.id))
        } else holdOther()
      }
    }
  }

  function sendDigest(at: number): boolean {
    if (!policy.enabled || !policy.digest.enabled) return false
    if (at - state.lastDigestAt < policy.digest.everyMinutes * 60_000) return false
    if (isEmptyDigest(state.digest)) {
      // Nothing to say: the next period starts now, so a quiet day sends nothing.
      state = { ...state, lastDigestAt: at, digest: emptyDigest(at) }
      return false
    }
    // The digest itself interrupts, so it waits out quiet hours like any other alert.
    if (inQuietHours(policy, minuteOfDay(at))) return false
    deps.notify(digestAlert(state.digest))
    state = { ...state, lastDigestAt: at, digest: emptyDigest(at) }
    return true
  }

  function sendRepeats(at: number): boolean {
    let changed = false
    const kept: PendingRepeat[] = []
    const due: Alert[] = []
    for (const entry of state.repeats) {
      if (entry.nextAt > at) {
        kept.push(entry)
        continue
      }
      changed = true
      const every = policy.repeat.everyMinutes * 60_000
      // Switched off since: the repeats stop too.
      if (!policy.enabled || !policy.perSeverity[entry.severity]) continue
      if (policy.perSource[entry.sourceId] === false) continue
      const breaksThrough = entry.severity === 'crisis' && policy.crisisBreaksThrough
      if (!breaksThrough && inQuietHours(policy, minuteOfDay(at))) {
        // Held, not counted: it is asked again once quiet hours are over.
        kept.push({ ...entry, nextAt: at + every })
        continue
      }
      const sent = entry.sent + 1
      const of = policy.repeat.maxTimes
      if (sent > of) continue
      const title = truncate(`Still open (${sent} of ${of}): ${entry.alert.title}`, 200)
      due.push({ ...entry.alert, title })
      if (sent < of) kept.push({ ...entry, sent, nextAt: at + every })
    }
    if (due.length > REMINDERS_APART) deps.notify(remindAll(due))
    else for (const alert of due) deps.notify(alert)
    if (changed) state = { ...state, repeats: kept }
    return changed
  }

  /**
   * Follow-ups that fell due in quiet hours are shown once they end, together when there are many.
   * Notifications switched off since: they are let go (the page showed each as a toast already).
   */
  function sendHeldReminders(at: number): boolean {
    if (state.heldReminders.length === 0) return false
    const held = reminderHeld(policy, minuteOfDay(at))
    if (held === 'quiet-hours') return false
    const due = state.heldReminders
    state = { ...state, heldReminders: [] }
    if (held === 'disabled') return true
    if (due.length > REMINDERS_APART) deps.notify(followUpsTogether(due))
    else for (const alert of due) deps.notify(alert)
    return true
  }

  /** After a restart, nothing that came due while Earshot was closed fires all at once. */
  function resume(repeats: readonly PendingRepeat[], at: number): PendingRepeat[] {
    const every = policy.repeat.everyMinutes * 60_000
    return repeats
      .filter(
        (entry) => at - entry.nextAt < Math.max(1, policy.repeat.maxTimes - entry.sent) * every,
      )
      .map((entry) => ({ ...entry, nextAt: Math.max(entry.nextAt, at + every) }))
  }

  const alerting: Alerting = {
    problems,
    async start() {
      const loadedPolicy = await loadJsonFile(
        policyPath,
        policyFileSchema,
        { version: 1, policy: defaultNotificationPolicy() },
        now,
      )
      policy = loadedPolicy.value.policy
      const loadedState = await loadJsonFile(statePath, stateFileSchema, state, now)
      state = { ...loadedState.value, repeats: resume(loadedState.value.repeats, now()) }
      const loadedSpikes = await loadJsonFile(spikesPath, spikeSnapshotSchema.nullable(), null, now)
      detector = createSpikeDetector(spikeOptions(), loadedSpikes.value ?? undefined)
      for (const problem of [loadedPolicy.problem, loadedState.problem, loadedSpikes.problem]) {
        if (problem) problems.push(problem)
      }
      ticker = timers.setInterval(() => alerting.tick(), TICK_MS)
    },
    onBatch(mentions, hint) {
      const names = topicNames()
      for (const mention of mentions) {
        // The brand's own posts neither notify nor make a spike.
        if (mention.triage.own) continue
        onMention({ kind: 'mention', mention, ...(hint?.(mention) ?? {}) })
        onSpikes(mention, mentions, names)
      }
      // Notifications go first; the record of what is pending follows, coalesced.
      saveStateSoon()
      if (!spikeTimer) {
        spikeTimer = setTimeout(() => void saveSpikes(), SPIKE_SAVE_MS)
        spikeTimer.unref()
      }
    },
    onSilence(sourceId, alert) {
      const decision = decide({ kind: 'silence', sourceId }, policy, now(), minuteOfDay)
      if (decision.action === 'notify') deps.notify({ ...alert, kind: 'silence' })
      else holdOther()
      void saveState()
    },
    remind(alert) {
      const held = reminderHeld(policy, minuteOfDay(now()))
      if (held === null) {
        deps.notify(alert)
        return true
      }
      if (held === 'quiet-hours') {
        const others = state.heldReminders.filter((entry) => entry.mentionId !== alert.mentionId)
        state = { ...state, heldReminders: [...others, alert].slice(-MAX_REPEATS) }
        saveStateSoon()
      }
      return false
    },
    async acknowledge(mentionId) {
      const handled = (entry: { mentionId: string }) => entry.mentionId === mentionId
      if (!state.repeats.some(handled) && !state.heldReminders.some(handled)) return
      state = {
        ...state,
        repeats: state.repeats.filter((entry) => !handled(entry)),
        heldReminders: state.heldReminders.filter((entry) => !handled(entry)),
      }
      await saveState()
    },
    getPolicy: () => policy,
    async savePolicy(next) {
      // Unlike state, a policy that failed to save must say so: the responder is looking at it.
      await writing
      await writeJsonFile(policyPath, { version: 1, policy: next })
      const thresholdsChanged = JSON.stringify(next.spikes) !== JSON.stringify(policy.spikes)
      policy = next
      // New thresholds apply from the next mention; the baselines learned so far are kept.
      if (thresholdsChanged) detector = createSpikeDetector(spikeOptions(), detector.snapshot())
      return policy
    },
    tick() {
      const at = now()
      const repeats = sendRepeats(at)
      const digest = sendDigest(at)
      const reminders = sendHeldReminders(at)
      if (repeats || digest || reminders) void saveState()
    },
    flush: async () => {
      if (stateTimer) await saveState()
      await writing
    },
    async stop() {
      if (ticker !== null) timers.clearInterval(ticker)
      ticker = null
      if (spikeTimer) clearTimeout(spikeTimer)
      await saveSpikes()
      spikeTimer = null
      await saveState()
    },
  }
  return alerting
}

/** The follow-ups held through quiet hours, as one reminder that opens the queue filtered to them. */
function followUpsTogether(due: readonly Alert[]): Alert {
  return {
    kind: 'mention',
    mentionId: due[0]?.mentionId ?? '',
    mentionIds: due.map((alert) => alert.mentionId).slice(0, 200),
    title: `${due.length} follow-ups fell due in quiet hours`,
    body: truncate(due.map((alert) => alert.title).join(' · '), 400),
  }
}

/** One reminder for many open mentions: it opens the queue filtered to them. */
function remindAll(due: readonly Alert[]): Alert {
  const first = due[0]
  return {
    kind: 'mention',
    mentionId: first?.mentionId ?? '',
    mentionIds: due.map((alert) => alert.mentionId).slice(0, 200),
    title: `Still open: ${due.length} urgent mentions`,
    body: truncate(
      due.map((alert) => alert.title.replace(/^Still open \([^)]*\): /, '')).join(' · '),
      400,
    ),
  }
}
