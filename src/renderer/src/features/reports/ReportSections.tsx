import type { DrillSpec, Report } from './compute/types'
import { duration, hours, longDay, percent } from './format'

type Pick = (spec: DrillSpec) => void

const plural = (count: number, one: string, many: string) =>
  `${count.toLocaleString()} ${count === 1 ? one : many}`
type SectionProps = { report: Report; onPick: Pick }

/** A figure that opens the mentions behind it. */
function Figure({
  label,
  value,
  note,
  onClick,
}: {
  label: string
  value: string
  note?: string
  onClick?: () => void
}) {
  const body = (
    <>
      <span className="figure__label">{label}</span>
      <span className="figure__value">{value}</span>
      {note ? <span className="figure__note">{note}</span> : null}
    </>
  )
  return onClick ? (
    <button type="button" className="figure figure--link" onClick={onClick}>
      {body}
    </button>
  ) : (
    <div className="figure">{body}</div>
  )
}

/** The days' top issues, newest day first, in the customers' words. */
export function IssuesSection({ report, onPick }: SectionProps) {
  const days = report.issues.filter((day) => day.issues.length > 0).reverse()
  if (days.length === 0) {
    return (
      <p className="report__quiet">
        No issue was named by two or more negative mentions on one day of this range.
      </p>
    )
  }
  return (
    <ol className="issues">
      {days.map((day) => (
        <li key={day.day} className="issues__day">
          <h3 className="issues__date">{longDay(day.day)}</h3>
          <ul className="issues__list">
            {day.issues.map((issue) => (
              <li key={issue.phrase}>
                <button
                  type="button"
                  className="issue"
                  onClick={() =>
                    onPick({
                      title: `“${issue.phrase}” · ${longDay(day.day)}`,
                      from: report.from,
                      to: report.to,
                      ids: issue.mentionIds,
                    })
                  }
                >
                  <span className="issue__phrase">{issue.phrase}</span>
                  <span className="issue__count">{issue.count} mentions</span>
                  {issue.quotes.map((quote) => (
                    <q key={quote} className="issue__quote">
                      {quote}
                    </q>
                  ))}
                </button>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  )
}

/** Response rate and time, unanswered complaints, and the departments' hand-offs. */
export function ResponsesSection({ report, onPick }: SectionProps) {
  const { responses, unanswered, departments } = report
  const all = { from: report.from, to: report.to }
  return (
    <>
      <div className="figures">
        <Figure
          label="Response rate"
          value={percent(responses.rate)}
          note={`${responses.answered} of ${responses.directed} directed mentions answered`}
          onClick={() => onPick({ title: 'Directed mentions', ...all, conversation: true })}
        />
        <Figure
          label="First response, median"
          value={duration(responses.medianMinutes)}
          note="in business hours"
        />
        <Figure
          label="First response, 90th percentile"
          value={duration(responses.p90Minutes)}
          note="in business hours"
        />
        <Figure
          label="Unanswered directed complaints"
          value={unanswered.count.toLocaleString()}
          note="no reply, not done"
          {...(unanswered.count > 0
            ? {
                onClick: () =>
                  onPick({
                    title: 'Unanswered directed complaints',
                    ...all,
                    ids: unanswered.mentionIds,
                  }),
              }
            : {})}
        />
      </div>
      {responses.basis === 'states' ? (
        <p className="report__note">
          Responses are read from when mentions were marked done; replies are counted once the
          history keeps a log of actions.
        </p>
      ) : null}
      <h3 className="report__subtitle">Routed to departments</h3>
      {departments.length === 0 ? (
        <p className="report__quiet">No mention of this range was routed to a department.</p>
      ) : (
        <table className="report-table">
          <thead>
            <tr>
              <th scope="col">Department</th>
              <th scope="col">Routed</th>
              <th scope="col">Still waiting</th>
              <th scope="col">Median wait</th>
              <th scope="col">Longest wait</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((entry) => (
              <tr key={entry.department}>
                <th scope="row">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() =>
                      onPick({
                        title: `Routed to ${entry.department}`,
                        ...all,
                        ids: entry.mentionIds,
                      })
                    }
                  >
                    {entry.department}
                  </button>
                </th>
                <td>{entry.routed}</td>
                <td>{entry.stillWaiting}</td>
                <td>
                  {duration(entry.medianWaitHours === null ? null : entry.medianWaitHours * 60)}
                </td>
                <td>
                  {duration(entry.longestWaitHours === null ? null : entry.longestWaitHours * 60)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}

/** Which communities carry the conversation, how much, and how negative. */
export function CommunitiesSection({ report, onPick }: SectionProps) {
  if (report.communities.length === 0)
    return <p className="report__quiet">Nothing heard in this range.</p>
  const top = Math.max(...report.communities.map((community) => community.volume))
  return (
    <table className="report-table report-table--map">
      <thead>
        <tr>
          <th scope="col">Community</th>
          <th scope="col">Mentions</th>
          <th scope="col">Negative</th>
          <th scope="col">Directed</th>
        </tr>
      </thead>
      <tbody>
        {report.communities.map((community) => (
          <tr key={community.name}>
            <th scope="row">
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  onPick({
                    title: community.name,
                    from: report.from,
                    to: report.to,
                    community: community.name,
                  })
                }
              >
                {community.name}
              </button>
            </th>
            <td>
              <span className="map-bar" aria-hidden="true">
                <span
                  className="map-bar__fill"
                  style={{ width: `${(community.volume / top) * 100}%` }}
                />
                <span
                  className="map-bar__negative"
                  style={{ width: `${(community.negative / top) * 100}%` }}
                />
              </span>
              {community.volume.toLocaleString()}
            </td>
            <td>{percent(community.shareNegative)}</td>
            <td>{community.directed.toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

const basisWords = {
  default: 'the default, until your own actions show your pace',
  measured: 'measured from your own actions',
  set: 'as you set it',
} as const

/** The staffing estimate: the formula, its factors, quiet and busy days. */
export function StaffingSection({ report, onPick }: SectionProps) {
  const { staffing } = report
  const minutes = Math.round(staffing.minutesPerConversation * 10) / 10
  const perCommunity = (value: number) => (Math.round(value * 100) / 100).toLocaleString()
  return (
    <>
      <div className="figures">
        <Figure
          label="Quiet day (median)"
          value={hours(staffing.quietHours)}
          note={`${percent(staffing.quietShare)} of one full-time person`}
        />
        <Figure
          label="Busy day (90th percentile)"
          value={hours(staffing.busyHours)}
          note={`${percent(staffing.busyShare)} of one full-time person`}
        />
        <Figure
          label="Conversations in the range"
          value={staffing.conversationsPerDay
            .reduce((sum, day) => sum + day.conversations, 0)
            .toLocaleString()}
          note={`over ${plural(staffing.communities, 'community', 'communities')}`}
          onClick={() =>
            onPick({ title: 'Conversations', from: report.from, to: report.to, conversation: true })
          }
        />
      </div>
      <p className="report__formula">
        {perCommunity(staffing.quietPerCommunity)}–{perCommunity(staffing.busyPerCommunity)}{' '}
        conversations a day per community ×{' '}
        {plural(staffing.communities, 'community', 'communities')} × {minutes} minutes per
        conversation ({basisWords[staffing.minutesBasis]}
        {staffing.minutesBasis === 'measured' ? `, ${staffing.measuredSamples} answers` : ''}) ÷ 60
        = {hours(staffing.quietHours)}–{hours(staffing.busyHours)} a day.
      </p>
      <p className="report__note">
        A conversation is a thread with a mention addressed to the brand that day: the ones the
        default policy answers. Quiet and busy days include the days nothing came in.
      </p>
    </>
  )
}
