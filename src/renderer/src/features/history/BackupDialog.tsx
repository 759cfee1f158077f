import { useEffect, useState } from 'react'
import {
  backupScheduleSchema,
  type BackupEntry,
  type BackupSchedule,
} from '../../../../shared/backup'
import { describeError } from '../../../../shared/result'
import { formatAbsolute } from '../../components/format'
import { isQuotaError } from '../../db/storage-errors'
import { useServices } from '../../services'
import { Dialog } from '../workspace/Dialog'
import { restoreDatabase } from './backup'
import {
  backupNow,
  downloadBackup,
  onBackupChange,
  readKeep,
  readSchedule,
  readStatus,
  saveKeep,
  saveSchedule,
  type BackupStatus,
} from './scheduled-backup'

const scheduleWords: Record<BackupSchedule, string> = {
  off: 'Off',
  daily: 'Every day',
  weekly: 'Every week',
}

const megabytes = (bytes: number): string =>
  bytes < 1024 * 1024
    ? `${Math.max(1, Math.round(bytes / 1024))} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`

type Listing = { folder: string; backups: BackupEntry[] } | { problem: string } | null

/**
 * What the last attempt says beside the newest backup: a failure shows until a later backup
 * succeeds, so a full disk is never hidden behind an older success.
 */
export function lastBackupLine(
  newest: BackupEntry | undefined,
  status: BackupStatus | null,
): string {
  const last = newest ? `Last backup: ${formatAbsolute(newest.at)}` : 'No scheduled backup yet'
  if (status?.error && (!newest || status.at > newest.at)) {
    return `${last}. The last attempt failed: ${status.error}`
  }
  return last
}

type RestoreStep =
  | { kind: 'idle' }
  | { kind: 'confirm'; entry: BackupEntry }
  | { kind: 'running'; name: string }
  | { kind: 'done'; name: string }
  | { kind: 'failed'; message: string }

/** The usual numbers to keep, and the one saved if it is another. */
const KEEP_CHOICES = [1, 3, 7, 14, 30, 90]
const keepChoices = (current: number): number[] =>
  KEEP_CHOICES.includes(current) ? KEEP_CHOICES : [...KEEP_CHOICES, current].sort((a, b) => a - b)

/** What the next backup's rotation deletes when fewer are now kept than are there. */
const dropped = (count: number, keep: number) => {
  const gone = count + 1 - keep
  return gone === 1 ? 'the oldest is deleted' : `the oldest ${gone} are deleted`
}

/**
 * Backups: save a file now, choose the schedule of backups into the data dir, see the last one
 * and the ones kept, and restore any of them.
 */
export function BackupDialog({
  onClose,
  onSaveFile,
}: {
  onClose: () => void
  onSaveFile: () => void
}) {
  const { db, client } = useServices()
  const [schedule, setSchedule] = useState<BackupSchedule>(() => readSchedule())
  const [keep, setKeep] = useState(() => readKeep())
  const [status, setStatus] = useState<BackupStatus | null>(() => readStatus())
  const [listing, setListing] = useState<Listing>(null)
  const [running, setRunning] = useState(false)
  const [restore, setRestore] = useState<RestoreStep>({ kind: 'idle' })

  // Bumped when a backup starts, ends or fails (here or by the schedule): the list is read again.
  const [nonce, setNonce] = useState(0)
  useEffect(() => onBackupChange(() => setNonce((n) => n + 1)), [])
  useEffect(() => {
    let live = true
    void client.call('backup:list', {}).then((listed) => {
      if (!live) return
      setStatus(readStatus())
      setListing(listed.ok ? listed.value : { problem: listed.error.message })
    })
    return () => {
      live = false
    }
  }, [client, nonce])

  const runNow = async () => {
    setRunning(true)
    try {
      await backupNow(db, client)
    } finally {
      setRunning(false)
    }
  }

  const runRestore = async (entry: BackupEntry) => {
    setRestore({ kind: 'running', name: entry.name })
    try {
      await restoreDatabase(db, await downloadBackup(client, entry.name))
      setRestore({ kind: 'done', name: entry.name })
    } catch (cause) {
      setRestore({
        kind: 'failed',
        message: isQuotaError(cause)
          ? 'Storage full: there is no room on this disk to restore. Nothing was changed.'
          : describeError(cause),
      })
    }
  }

  const backups = listing && 'backups' in listing ? listing.backups : []
  return (
    <Dialog title="Back up" onClose={onClose}>
      <p className="dialog__note">
        A backup holds everything stored here: mentions, what you did with them, and the audit log.
      </p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onSaveFile}>
          Save a backup file…
        </button>
      </div>
      <h3 className="dialog__subtitle">Scheduled backups</h3>
      <label className="import__field">
        <span>Back up into the data folder</span>
        <select
          aria-label="Backup schedule"
          value={schedule}
          onChange={(event) => {
            const next = backupScheduleSchema.parse(event.target.value)
            saveSchedule(next)
            setSchedule(next)
          }}
        >
          {backupScheduleSchema.options.map((option) => (
            <option key={option} value={option}>
              {scheduleWords[option]}
            </option>
          ))}
        </select>
      </label>
      <label className="import__field">
        <span>Keep the newest</span>
        <select
          aria-label="Backups kept"
          value={keep}
          onChange={(event) => {
            const next = Number(event.target.value)
            saveKeep(next)
            setKeep(next)
          }}
        >
          {keepChoices(keep).map((count) => (
            <option key={count} value={count}>
              {count === 1 ? '1 backup' : `${count} backups`}
            </option>
          ))}
        </select>
      </label>
      <p className="dialog__note" role="status">
        {lastBackupLine(backups[0], status)}
        {listing && 'folder' in listing ? ` · kept in ${listing.folder}` : ''}
        {backups.length > keep ? ` · ${dropped(backups.length, keep)} at the next backup` : ''}
      </p>
      {listing && 'problem' in listing ? (
        <p className="form-error" role="alert">
          Could not list the backups: {listing.problem}
        </p>
      ) : null}
      <div className="dialog__actions">
        <button
          type="button"
          className="button"
          disabled={running}
          aria-busy={running}
          onClick={() => void runNow()}
        >
          {running ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      {backups.length > 0 ? (
        <ul className="backup__list" aria-label="Scheduled backups">
          {backups.map((entry) => (
            <li key={entry.name} className="backup__item">
              <span>
                {formatAbsolute(entry.at)} · {megabytes(entry.bytes)}
              </span>
              <button
                type="button"
                className="button button--small"
                disabled={restore.kind === 'running'}
                aria-label={`Restore the backup of ${formatAbsolute(entry.at)}`}
                onClick={() => setRestore({ kind: 'confirm', entry })}
              >
                Restore
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {restore.kind === 'confirm' ? (
        <div role="alertdialog" aria-label="Confirm restore">
          <p className="dialog__note">
            Replace your whole history with the backup of {formatAbsolute(restore.entry.at)}? This
            cannot be undone, so back up now first if unsure.
          </p>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={() => setRestore({ kind: 'idle' })}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--danger"
              onClick={() => void runRestore(restore.entry)}
            >
              Replace and restore
            </button>
          </div>
        </div>
      ) : null}
      {restore.kind === 'running' ? (
        <p className="dialog__note" role="status" aria-busy="true">
          Restoring…
        </p>
      ) : null}
      {restore.kind === 'done' ? (
        <p className="dialog__text" role="status">
          Restored. Your history is the backup’s now.
        </p>
      ) : null}
      {restore.kind === 'failed' ? (
        <p className="form-error" role="alert">
          Nothing was changed: {restore.message}
        </p>
      ) : null}
      <div className="dialog__actions">
        <button type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  )
}
