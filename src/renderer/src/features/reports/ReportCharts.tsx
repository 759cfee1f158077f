import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type { SentimentLabel } from '../../../../shared/domain'
import type { DrillSpec, Report, TermKind } from './compute/types'
import { dayLabel, longDay } from './format'
import { useChartColors, type ChartColors } from './use-chart-colors'

type Pick = (spec: DrillSpec) => void
type Row = { day: number; label: string } & Record<string, number | string>

const DAY_MS = 86_400_000
/** The day after `day` in the report (its next start), or a day later at its end. */
const nextDay = (report: Report, day: number) =>
  report.days[report.days.indexOf(day) + 1] ?? Math.min(report.to, day + DAY_MS)

const seriesColor = (colors: ChartColors, index: number) =>
  colors.series[index % colors.series.length] ?? colors.text

/** The row a click landed on; recharts passes the drawn item with its data row as payload. */
const rowOf = (item: unknown) => (item as { payload?: Row }).payload

function axes(colors: ChartColors) {
  const tick = { fill: colors.text, fontSize: 12 }
  return [
    <CartesianGrid key="grid" stroke={colors.grid} strokeDasharray="3 3" vertical={false} />,
    <XAxis key="x" dataKey="label" tick={tick} stroke={colors.grid} minTickGap={12} />,
    <YAxis key="y" allowDecimals={false} tick={tick} stroke={colors.grid} width={36} />,
    <Tooltip
      key="tip"
      cursor={{ fill: colors.grid, opacity: 0.4 }}
      contentStyle={{
        background: colors.surface,
        border: `1px solid ${colors.grid}`,
        borderRadius: 6,
        color: colors.text,
      }}
      labelStyle={{ color: colors.text }}
    />,
    <Legend key="legend" wrapperStyle={{ color: colors.text, fontSize: 12 }} />,
  ]
}

/** Mentions per day, stacked by source; a bar opens the mentions of that source that day. */
export function VolumeChart({
  report,
  sourceName,
  onPick,
}: {
  report: Report
  sourceName: (id: string) => string
  onPick: Pick
}) {
  const colors = useChartColors()
  const data: Row[] = report.volume.map((day) => {
    const row: Row = { day: day.day, label: dayLabel(day.day) }
    for (const source of report.sources) row[`src_${source.id}`] = day.bySource[source.id] ?? 0
    return row
  })
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        {axes(colors)}
        {report.sources.map((source, index) => (
          <Bar
            key={source.id}
            dataKey={`src_${source.id}`}
            name={sourceName(source.id)}
            stackId="volume"
            fill={seriesColor(colors, index)}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(item) => {
              const row = rowOf(item)
              if (!row) return
              onPick({
                title: `${sourceName(source.id)} · ${longDay(row.day)}`,
                from: row.day,
                to: nextDay(report, row.day),
                sourceId: source.id,
              })
            }}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  )
}

const kindNames: Record<TermKind, string> = {
  brand: 'Brand',
  product: 'Products',
  competitor: 'Competitors',
}

/** Mentions per day naming the brand, a product or a competitor; a point opens that day's. */
export function TermsChart({ report, onPick }: { report: Report; onPick: Pick }) {
  const colors = useChartColors()
  const data: Row[] = report.volume.map((day) => ({
    day: day.day,
    label: dayLabel(day.day),
    ...day.byKind,
  }))
  const kinds: TermKind[] = ['brand', 'product', 'competitor']
  return (
    <ResponsiveContainer width="100%" height={220}>
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        {axes(colors)}
        {kinds.map((kind, index) => (
          <Line
            key={kind}
            type="linear"
            dataKey={kind}
            name={kindNames[kind]}
            stroke={seriesColor(colors, index)}
            strokeWidth={2}
            dot={{ r: 2 }}
            isAnimationActive={false}
            activeDot={{
              r: 5,
              cursor: 'pointer',
              onClick: (_event: unknown, point: unknown) => {
                const row = rowOf(point)
                if (!row) return
                onPick({
                  title: `${kindNames[kind]} · ${longDay(row.day)}`,
                  from: row.day,
                  to: nextDay(report, row.day),
                  termKind: kind,
                })
              },
            }}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  )
}

const feelings: { label: SentimentLabel; name: string }[] = [
  { label: 'negative', name: 'Negative' },
  { label: 'neutral', name: 'Neutral' },
  { label: 'positive', name: 'Positive' },
]

/** Sentiment per day for directed or overheard mentions; a bar opens those mentions. */
export function SentimentChart({
  report,
  directed,
  onPick,
}: {
  report: Report
  directed: boolean
  onPick: Pick
}) {
  const colors = useChartColors()
  const group = directed ? 'directed' : 'overheard'
  const data: Row[] = report.sentiment.map((day) => ({
    day: day.day,
    label: dayLabel(day.day),
    ...day[group],
  }))
  const fill: Record<SentimentLabel, string> = {
    negative: colors.negative,
    neutral: colors.neutral,
    positive: colors.positive,
  }
  return (
    <ResponsiveContainer width="100%" height={200}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        {axes(colors)}
        {feelings.map((feeling) => (
          <Bar
            key={feeling.label}
            dataKey={feeling.label}
            name={feeling.name}
            stackId={group}
            fill={fill[feeling.label]}
            isAnimationActive={false}
            cursor="pointer"
            onClick={(item) => {
              const row = rowOf(item)
              if (!row) return
              onPick({
                title: `${feeling.name}, ${group} · ${longDay(row.day)}`,
                from: row.day,
                to: nextDay(report, row.day),
                directed,
                sentiment: feeling.label,
              })
            }}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  )
}
