import { formatAbsolute, formatAgeShort, formatRelative } from './format'
import { useNow } from './use-now'

/** A relative time whose tooltip and datetime carry the exact moment. */
export function RelativeTime({ at, short = false }: { at: number; short?: boolean }) {
  const now = useNow()
  return (
    <time dateTime={new Date(at).toISOString()} title={formatAbsolute(at)}>
      {short ? formatAgeShort(at, now) : formatRelative(at, now)}
    </time>
  )
}
