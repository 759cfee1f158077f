import { useEffect, useMemo, useState } from 'react'
import type { BrandProfile } from '../../../../shared/domain'
import { selectSources } from '../../store/selectors'
import { useAppStore } from '../../store/use-app-store'
import { reportCsv } from './compute/csv'
import type { Report, ReportSettings } from './compute/types'
import { DrillPanel } from './DrillPanel'
import { longDay } from './format'
import { SentimentChart, TermsChart, VolumeChart } from './ReportCharts'
import {
  CommunitiesSection,
  IssuesSection,
  ResponsesSection,
  StaffingSection,
} from './ReportSections'
import { loadPrefs, localDay, rangeOf, savePrefs, type ReportPrefs } from './report-prefs'
import { ReportToolbar } from './ReportToolbar'
import { useReport } from './use-report'

/** Names as the profile spells them, handles included: triage's `matched` uses the same. */
const termsOf = (profile: BrandProfile): ReportSettings['terms'] => ({
  brand: profile.brand,
  handles: profile.handles.map((entry) =>
    entry.handle.startsWith('@') ? entry.handle : `@${entry.handle}`,
  ),
  products: profile.products,
  competitors: profile.competitors,
})

function download(name: string, text: string) {
  // A BOM so spreadsheets read the customers' words as UTF-8.
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The figures a manager asks for, over a date range, each opening the mentions behind it. */
export function ReportsScreen({ profile }: { profile: BrandProfile }) {
  const [prefs, setPrefs] = useState<ReportPrefs>(() => loadPrefs())
  // The report's "now" (today's end, how long hand-offs still wait) moves with each new setting.
  const [now, setNow] = useState(() => Date.now())
  const changePrefs = (next: ReportPrefs) => {
    setPrefs(next)
    setNow(Date.now())
  }
  const sources = useAppStore(selectSources)
  useEffect(() => savePrefs(prefs), [prefs])

  const settings = useMemo((): ReportSettings => {
    const range = rangeOf(prefs, now)
    return {
      ...range,
      now,
      hours: prefs.hours,
      terms: termsOf(profile),
      minutes: prefs.minutes,
    }
  }, [prefs, profile, now])
  const { status, drill, openDrill, closeDrill } = useReport(settings)

  const report: Report | null =
    status.kind === 'ready' ? status.report : status.kind === 'running' ? status.previous : null
  const sourceName = (id: string) =>
    sources?.find((source) => source.config.id === id)?.config.name ?? (id === 'demo' ? 'Demo' : id)

  const exportCsv = report
    ? () =>
        download(
          `earshot-report-${localDay(report.from)}-to-${localDay(report.to - 1)}.csv`,
          reportCsv(report, { sourceName }),
        )
    : null

  return (
    <div className={drill ? 'reports reports--drill' : 'reports'}>
      <section className="report" aria-label="Reports" aria-busy={status.kind === 'running'}>
        <header className="report__header">
          <div>
            <h1 className="page__title">Reports</h1>
            <p className="report__range">
              {longDay(settings.from)} – {longDay(settings.to - 1)}
              {report ? ` · ${report.mentions.toLocaleString()} mentions` : ''}
            </p>
          </div>
          <ReportToolbar
            prefs={prefs}
            onChange={changePrefs}
            onExport={exportCsv}
            onPrint={report ? () => window.print() : null}
          />
        </header>
        {status.kind === 'running' ? (
          <div className="report__progress" role="status">
            <span>
              {/* Progress counts hours of history or mentions, whichever the worker reads. */}
              {status.total > 0
                ? `Reading your history… ${Math.floor((100 * status.done) / status.total)} %`
                : 'Reading your history…'}
            </span>
            <progress max={Math.max(1, status.total)} value={status.done} />
          </div>
        ) : null}
        {status.kind === 'error' ? (
          <div className="empty">
            <h2 className="empty__title">The report could not be made</h2>
            <p className="empty__text">{status.message}</p>
          </div>
        ) : null}
        {report ? (
          <div
            className={
              status.kind === 'running' ? 'report__body report__body--stale' : 'report__body'
            }
          >
            <section className="report__card report__card--wide" aria-labelledby="volume-title">
              <h2 id="volume-title" className="card__title">
                Volume per day, by source
              </h2>
              <VolumeChart report={report} sourceName={sourceName} onPick={openDrill} />
            </section>
            <section className="report__card" aria-labelledby="terms-title">
              <h2 id="terms-title" className="card__title">
                Brand, products and competitors
              </h2>
              <TermsChart report={report} onPick={openDrill} />
              <ul className="term-list">
                {report.terms.slice(0, 12).map((term) => (
                  <li key={`${term.kind}:${term.term}`}>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        openDrill({
                          title: term.term,
                          from: report.from,
                          to: report.to,
                          term: term.term,
                        })
                      }
                    >
                      {term.term}
                    </button>{' '}
                    <span className="term-list__count">{term.count.toLocaleString()}</span>
                  </li>
                ))}
              </ul>
            </section>
            <section className="report__card" aria-labelledby="sentiment-title">
              <h2 id="sentiment-title" className="card__title">
                Sentiment over time
              </h2>
              <h3 className="report__subtitle">Directed at the brand</h3>
              <SentimentChart report={report} directed onPick={openDrill} />
              <h3 className="report__subtitle">Overheard</h3>
              <SentimentChart report={report} directed={false} onPick={openDrill} />
            </section>
            <section className="report__card report__card--wide" aria-labelledby="issues-title">
              <h2 id="issues-title" className="card__title">
                Top issues of each day
              </h2>
              <IssuesSection report={report} onPick={openDrill} />
            </section>
            <section className="report__card" aria-labelledby="responses-title">
              <h2 id="responses-title" className="card__title">
                Responses
              </h2>
              <ResponsesSection report={report} onPick={openDrill} />
            </section>
            <section className="report__card" aria-labelledby="map-title">
              <h2 id="map-title" className="card__title">
                Social map
              </h2>
              <CommunitiesSection report={report} onPick={openDrill} />
            </section>
            <section className="report__card report__card--wide" aria-labelledby="staffing-title">
              <h2 id="staffing-title" className="card__title">
                Staffing
              </h2>
              <StaffingSection report={report} onPick={openDrill} />
            </section>
          </div>
        ) : null}
      </section>
      {drill ? <DrillPanel drill={drill} onClose={closeDrill} /> : null}
    </div>
  )
}
