import { useEffect } from 'react'
import { describeError } from '../../../../shared/result'
import { useServices } from '../../services'
import { BACKUP_CHECK_MS, backupIfDue } from './scheduled-backup'

/** Waits this long after start so the first check does not compete with catching up on mentions. */
const FIRST_CHECK_MS = 15_000

/**
 * Backs the history up into the data dir when the schedule says one is due: checked shortly
 * after start and every hour after. A failure shows once as a toast and in the backup dialog; the
 * next hourly check tries again.
 */
export function useScheduledBackup(): void {
  const { db, client, store } = useServices()
  useEffect(() => {
    let live = true
    const check = async () => {
      const run = await backupIfDue(db, client).catch((cause: unknown) => ({
        kind: 'failed' as const,
        message: describeError(cause),
      }))
      if (live && run.kind === 'failed') {
        store.getState().pushToast({ title: `Scheduled backup failed: ${run.message}` })
      }
    }
    const first = setTimeout(() => void check(), FIRST_CHECK_MS)
    const hourly = setInterval(() => void check(), BACKUP_CHECK_MS)
    return () => {
      live = false
      clearTimeout(first)
      clearInterval(hourly)
    }
  }, [db, client, store])
}
