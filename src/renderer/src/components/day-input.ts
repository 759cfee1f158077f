/* `<input type="date">` values ("2026-11-23", local time) to and from epoch milliseconds. */

/** The first millisecond of that local day, or undefined for an empty field. */
export const dayStart = (value: string) =>
  value ? new Date(`${value}T00:00`).getTime() : undefined

/** The last millisecond of that local day, or undefined for an empty field. */
export const dayEnd = (value: string) =>
  value ? new Date(`${value}T23:59:59.999`).getTime() : undefined

/** The local day of an instant, as a date field shows it; '' for none. */
export function toDay(at: number | undefined): string {
  if (at === undefined) return ''
  const date = new Date(at)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
