import { useCallback, useEffect, useRef, useState } from 'react'
import type { DrillSpec, Report, ReportSettings } from './compute/types'
import { settleInflow } from '../../db/inflow'
import { useServices } from '../../services'
import { startReportWorker, type ReportClient } from './report-client'

export type ReportStatus =
  | { kind: 'running'; done: number; total: number; previous: Report | null }
  | { kind: 'ready'; report: Report }
  | { kind: 'error'; message: string }

export type Drill =
  | { kind: 'loading'; spec: DrillSpec }
  | { kind: 'ready'; spec: DrillSpec; ids: string[]; total: number }
  | { kind: 'error'; spec: DrillSpec; message: string }

/** Mentions listed behind one figure. */
export const DRILL_LIMIT = 500

/**
 * The report for `settings`, computed in the report worker. A change of settings cancels the run
 * in progress; the last report stays on screen, dimmed, until the new one lands.
 */
export function useReport(settings: ReportSettings | null) {
  const { db } = useServices()
  const client = useRef<ReportClient | null>(null)
  const [status, setStatus] = useState<ReportStatus>({
    kind: 'running',
    done: 0,
    total: 0,
    previous: null,
  })
  const [drill, setDrill] = useState<Drill | null>(null)

  useEffect(() => {
    try {
      client.current = startReportWorker()
    } catch {
      client.current = null
    }
    return () => {
      client.current?.close()
      client.current = null
    }
  }, [])

  useEffect(() => {
    const worker = client.current
    if (settings === null) return
    if (worker === null) {
      setStatus({ kind: 'error', message: 'This browser cannot run reports in the background.' })
      return
    }
    let live = true
    setStatus((last) => ({
      kind: 'running',
      done: 0,
      total: 0,
      previous:
        last.kind === 'ready' ? last.report : last.kind === 'running' ? last.previous : null,
    }))
    // The worker reads the tables: delivered mentions still in the inflow are spread first.
    void settleInflow(db)
      .catch(() => undefined)
      .then(() => {
        if (!live) return
        worker
          .run(settings, (done, total) => {
            if (live)
              setStatus((last) => (last.kind === 'running' ? { ...last, done, total } : last))
          })
          .then(
            (outcome) => {
              if (live && outcome.kind === 'done')
                setStatus({ kind: 'ready', report: outcome.report })
            },
            (cause: unknown) => {
              if (live) setStatus({ kind: 'error', message: (cause as Error).message })
            },
          )
      })
    return () => {
      live = false
    }
  }, [db, settings])

  const open = useCallback(
    (spec: DrillSpec) => {
      const worker = client.current
      if (worker === null || settings === null) return
      setDrill({ kind: 'loading', spec })
      worker.drill(settings, spec, DRILL_LIMIT).then(
        (outcome) => {
          if (outcome.kind !== 'done') return
          setDrill((last) =>
            last?.spec === spec
              ? { kind: 'ready', spec, ids: outcome.ids, total: outcome.total }
              : last,
          )
        },
        (cause: unknown) =>
          setDrill((last) =>
            last?.spec === spec ? { kind: 'error', spec, message: (cause as Error).message } : last,
          ),
      )
    },
    [settings],
  )

  const close = useCallback(() => setDrill(null), [])

  return { status, drill, openDrill: open, closeDrill: close }
}
