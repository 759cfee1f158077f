/* How report figures read on screen. */

export const dayLabel = (day: number) =>
  new Date(day).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })

export const longDay = (day: number) =>
  new Date(day).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' })

export const percent = (share: number | null) =>
  share === null ? '–' : `${Math.round(share * 100)}%`

/** "45 min", "3.5 h", "2.1 days" of business time or wall-clock time. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '–'
  if (minutes < 90) return `${Math.round(minutes)} min`
  const hours = minutes / 60
  if (hours < 48) return `${hours.toFixed(1)} h`
  return `${(hours / 24).toFixed(1)} days`
}

export const hours = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} h`

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
export const weekdayName = (index: number) => weekdays[index] ?? String(index)
