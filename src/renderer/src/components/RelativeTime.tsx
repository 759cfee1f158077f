import { formatAbsolute, formatAgeShort, formatRelative } from './format'
import { useNow } from './use-now'

type Props = { at: number; short?: boolean; future?: boolean }

/**
 * A relative time whose tooltip and datetime carry the exact moment. Past events are clamped to
 * the shared clock, which ticks every few seconds, so they never read "in a moment".
 */
export function RelativeTime({ at, short = false, future = false }: Props) {
  const now = useNow()
  const shown = future ? at : Math.min(at, now)
  return (
    <time dateTime={new Date(at).toISOString()} title={formatAbsolute(at)}>
      {short ? formatAgeShort(shown, now) : formatRelative(shown, now)}
    </time>
  )
}
