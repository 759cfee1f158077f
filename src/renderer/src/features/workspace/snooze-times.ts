/** The snooze choices offered first; a custom date and time is always possible too. */
export function snoozePresets(now: number): { label: string; until: number }[] {
  const at = (date: Date) => date.getTime()
  const hour = 3_600_000
  const tomorrow = new Date(now)
  tomorrow.setDate(tomorrow.getDate() + 1)
  tomorrow.setHours(9, 0, 0, 0)
  const nextWeek = new Date(now)
  nextWeek.setDate(nextWeek.getDate() + ((8 - nextWeek.getDay()) % 7 || 7))
  nextWeek.setHours(9, 0, 0, 0)
  return [
    { label: 'In 1 hour', until: now + hour },
    { label: 'In 3 hours', until: now + 3 * hour },
    { label: 'Tomorrow 9:00', until: at(tomorrow) },
    { label: 'Next Monday 9:00', until: at(nextWeek) },
  ]
}

/** `<input type="datetime-local">` value for a moment, in local time. */
export function toLocalInput(at: number): string {
  const date = new Date(at)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}
