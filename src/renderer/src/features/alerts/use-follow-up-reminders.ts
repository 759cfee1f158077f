import { useLiveQuery } from 'dexie-react-hooks'
import { useEffect, useState } from 'react'
import {
  claimDueFollowUps,
  followUpAlert,
  nextFollowUp,
  type DueFollowUp,
} from '../../db/follow-ups'
import type { EarshotClient } from '../../../../shared/contract'
import type { EarshotDb } from '../../db/database'
import { useServices } from '../../services'
import type { EarshotStore } from '../../store/store'

/** A far follow-up is looked at again after this long, so the timer never overflows. */
const MAX_WAIT_MS = 6 * 3_600_000

/**
 * Raises the follow-ups that are due, once each: main shows them through the same notifier as its
 * alerts (an OS notification in Electron; on the web host the toast and browser notification of
 * `alerts:notify`). When main holds the reminder (notifications off, quiet hours) or cannot be
 * reached, the page still shows a toast: the responder asked for this reminder themselves.
 */
export async function raiseDueFollowUps(
  { client, db, store }: { client: EarshotClient; db: EarshotDb; store: EarshotStore },
  now: number = Date.now(),
): Promise<DueFollowUp[]> {
  const due = await claimDueFollowUps(db, now)
  for (const item of due) {
    const alert = followUpAlert(item)
    const result = await client.call('alerts:remind', alert).catch(() => null)
    if (!result?.ok || !result.value.notified) store.getState().pushToast(alert)
  }
  return due
}

/** Raises due follow-ups at start (anything that fell due while closed), then as each falls due. */
export function useFollowUpReminders(): void {
  const services = useServices()
  const next = useLiveQuery(() => nextFollowUp(services.db), [services.db])
  // Bumped after a timer fires early or finds nothing, so the next wait is computed again.
  const [round, setRound] = useState(0)
  useEffect(() => {
    void raiseDueFollowUps(services).catch(() => undefined)
  }, [services])
  useEffect(() => {
    if (next === undefined || next === null) return
    const wait = Math.min(Math.max(0, next - Date.now()), MAX_WAIT_MS)
    const timer = setTimeout(() => {
      void raiseDueFollowUps(services)
        .catch(() => undefined)
        .finally(() => setRound((value) => value + 1))
    }, wait)
    return () => clearTimeout(timer)
  }, [next, round, services])
}
