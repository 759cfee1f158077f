import { useState } from 'react'
import { describeError } from '../../../../shared/result'
import { isQuotaError } from '../../db/storage-errors'
import { useServices } from '../../services'
import { Dialog } from '../workspace/Dialog'
import { describeBackup, restoreDatabase } from './backup'
import {
  fieldLabels,
  guessMapping,
  importRows,
  MAPPABLE_FIELDS,
  readImportFile,
  type ImportMapping,
  type ImportReport,
  type ImportTable,
} from './import'

const failure = (cause: unknown): string =>
  isQuotaError(cause)
    ? 'Storage full: there is no room on this disk for more. Nothing was half-written; free some space and try again.'
    : describeError(cause)

type ImportStep =
  | { kind: 'pick'; problem?: string }
  | { kind: 'map'; name: string; table: ImportTable; mapping: Partial<ImportMapping> }
  | { kind: 'running'; done: number; total: number }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'failed'; message: string }

/** Reads a CSV or JSON file from another tool, maps its columns, then triages and stores it. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const { db, client } = useServices()
  const [step, setStep] = useState<ImportStep>({ kind: 'pick' })

  const onFile = async (file: File | undefined) => {
    if (!file) return
    try {
      const table = readImportFile(file.name, await file.text())
      if (table.rows.length === 0) {
        setStep({ kind: 'pick', problem: `${file.name} has no rows.` })
        return
      }
      setStep({ kind: 'map', name: file.name, table, mapping: guessMapping(table.columns) })
    } catch (cause) {
      setStep({ kind: 'pick', problem: describeError(cause) })
    }
  }

  const run = async (table: ImportTable, mapping: ImportMapping) => {
    setStep({ kind: 'running', done: 0, total: table.rows.length })
    try {
      const report = await importRows(db, client, table, mapping, {
        onProgress: ({ done, total }) => setStep({ kind: 'running', done, total }),
      })
      setStep({ kind: 'done', report })
    } catch (cause) {
      setStep({ kind: 'failed', message: failure(cause) })
    }
  }

  return (
    <Dialog title="Import mentions from another tool" onClose={onClose} className="dialog--wide">
      {step.kind === 'pick' ? (
        <>
          <p className="dialog__note">
            A CSV file with a header row, or a JSON list of objects. Each row is scored by triage
            and kept as history (marked done); importing the same file again adds nothing twice.
          </p>
          <FilePicker
            label="File to import"
            accept=".csv,.json,text/csv,application/json"
            problem={step.problem}
            onFile={(file) => void onFile(file)}
          />
        </>
      ) : null}
      {step.kind === 'map' ? (
        <MappingForm
          step={step}
          onChange={(mapping) => setStep({ ...step, mapping })}
          onImport={(mapping) => void run(step.table, mapping)}
          onBack={() => setStep({ kind: 'pick' })}
        />
      ) : null}
      {step.kind === 'running' ? (
        <p className="dialog__note" role="status" aria-busy="true">
          Triaging and storing… {step.done.toLocaleString()} of {step.total.toLocaleString()} rows
        </p>
      ) : null}
      {step.kind === 'done' ? (
        <div role="status">
          <p className="dialog__note">
            Imported {step.report.added.toLocaleString()} new mentions
            {step.report.known > 0
              ? `; ${step.report.known.toLocaleString()} were already in your history`
              : ''}
            .
          </p>
          {step.report.skipped.length > 0 ? (
            <>
              <p className="dialog__note">
                {step.report.skipped.length.toLocaleString()} rows were skipped:
              </p>
              <ul className="import__skipped">
                {step.report.skipped.slice(0, 20).map((row) => (
                  <li key={row.line}>
                    Row {row.line}: {row.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <div className="dialog__actions">
            <button type="button" className="button button--primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {step.kind === 'failed' ? (
        <>
          <p className="form-error" role="alert">
            The import stopped: {step.message} Rows stored before it stopped are kept.
          </p>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : null}
    </Dialog>
  )
}

type MapStep = Extract<ImportStep, { kind: 'map' }>

function MappingForm({
  step,
  onChange,
  onImport,
  onBack,
}: {
  step: MapStep
  onChange: (mapping: Partial<ImportMapping>) => void
  onImport: (mapping: ImportMapping) => void
  onBack: () => void
}) {
  const { table, mapping } = step
  const preview = table.rows.slice(0, 3)
  const text = mapping.text
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        if (text !== undefined) onImport({ ...mapping, text })
      }}
    >
      <p className="dialog__note">
        {step.name}: {table.rows.length.toLocaleString()} rows. Say which column holds what.
      </p>
      <div className="import__mapping">
        {MAPPABLE_FIELDS.map((field) => (
          <label key={field} className="import__field">
            <span>{fieldLabels[field]}</span>
            <select
              value={mapping[field] ?? ''}
              onChange={(event) => {
                const next = { ...mapping }
                if (event.target.value === '') delete next[field]
                else next[field] = event.target.value
                onChange(next)
              }}
            >
              <option value="">{field === 'text' ? 'Choose a column' : 'Not in this file'}</option>
              {table.columns.map((column) => (
                <option key={column} value={column}>
                  {column}
                </option>
              ))}
            </select>
            <span className="import__sample">
              {mapping[field] !== undefined ? (preview[0]?.cells[mapping[field]] ?? '') : ''}
            </span>
          </label>
        ))}
      </div>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onBack}>
          Another file
        </button>
        <button type="submit" className="button button--primary" disabled={text === undefined}>
          Import {table.rows.length.toLocaleString()} rows
        </button>
      </div>
    </form>
  )
}

type RestoreStep =
  | { kind: 'pick'; problem?: string }
  | { kind: 'confirm'; file: File; rows: number }
  | { kind: 'running' }
  | { kind: 'done' }
  | { kind: 'failed'; message: string }

/** Replaces the whole history with a backup file's, after saying how much it holds. */
export function RestoreDialog({ onClose }: { onClose: () => void }) {
  const { db } = useServices()
  const [step, setStep] = useState<RestoreStep>({ kind: 'pick' })
  const onFile = async (file: File | undefined) => {
    if (!file) return
    const check = await describeBackup(file)
    setStep(
      check.ok
        ? { kind: 'confirm', file, rows: check.rows }
        : { kind: 'pick', problem: check.message },
    )
  }
  const restore = async (file: File) => {
    setStep({ kind: 'running' })
    try {
      await restoreDatabase(db, file)
      setStep({ kind: 'done' })
    } catch (cause) {
      setStep({ kind: 'failed', message: failure(cause) })
    }
  }
  return (
    <Dialog title="Restore a backup" onClose={onClose}>
      {step.kind === 'pick' ? (
        <>
          <p className="dialog__note">
            Choose a backup file Earshot made. Restoring replaces everything stored here: mentions,
            what you did with them, and the audit log.
          </p>
          <FilePicker
            label="Backup file"
            accept=".json,application/json"
            problem={step.problem}
            onFile={(file) => void onFile(file)}
          />
        </>
      ) : null}
      {step.kind === 'confirm' ? (
        <>
          <p className="dialog__note">
            {step.file.name} holds {step.rows.toLocaleString()} rows. Replace your whole history
            with it? This cannot be undone, so back up first if unsure.
          </p>
          <div className="dialog__actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button--danger"
              onClick={() => void restore(step.file)}
            >
              Replace and restore
            </button>
          </div>
        </>
      ) : null}
      {step.kind === 'running' ? (
        <p className="dialog__note" role="status" aria-busy="true">
          Restoring…
        </p>
      ) : null}
      {step.kind === 'done' || step.kind === 'failed' ? (
        <>
          <p
            className={step.kind === 'done' ? 'dialog__text' : 'form-error'}
            role={step.kind === 'done' ? 'status' : 'alert'}
          >
            {step.kind === 'done'
              ? 'Restored. Your history is the backup’s now.'
              : `Nothing was changed: ${step.message}`}
          </p>
          <div className="dialog__actions">
            <button type="button" className="button button--primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : null}
    </Dialog>
  )
}

/** A file field, with what was wrong with the last file chosen. */
function FilePicker({
  label,
  accept,
  problem,
  onFile,
}: {
  label: string
  accept: string
  problem: string | undefined
  onFile: (file: File | undefined) => void
}) {
  return (
    <>
      <input
        type="file"
        accept={accept}
        aria-label={label}
        onChange={(event) => onFile(event.target.files?.[0])}
      />
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  )
}
