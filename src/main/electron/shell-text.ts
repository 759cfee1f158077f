import type { Alert } from '../../shared/domain'

/* Words the shell shows outside the page: tray labels and notification text. Pure, so tested. */

export type TrayLabel = { tooltip: string; title: string }

/** Tray tooltip and (macOS) title for the number of unhandled urgent mentions. */
export function trayLabel(count: number): TrayLabel {
  const n = Number.isFinite(count) && count > 0 ? Math.floor(count) : 0
  if (n === 0) return { tooltip: 'Earshot: nothing urgent waiting', title: '' }
  const shown = n > 999 ? '999+' : String(n)
  const noun = n === 1 ? 'urgent mention' : 'urgent mentions'
  return { tooltip: `Earshot: ${shown} ${noun} waiting`, title: shown }
}

// Controls, bidi overrides and zero-width characters: a post could use them to make the
// notification say something other than what it holds.
const hidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu

const clean = (value: string, max: number) => {
  const text = value.replace(hidden, ' ').replace(/\s+/g, ' ').trim()
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

// Most Linux notification servers read the body as markup (links, images), and Electron passes
// it through unescaped; a mention is untrusted, so it is escaped to stay text.
const escapeMarkup = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export type NotificationText = { title: string; body: string }

/** The title and body of the OS notification for an alert, safe to hand to the platform. */
export function notificationText(alert: Alert, platform: string): NotificationText {
  const title = clean(alert.title, 120) || 'Earshot'
  const body = clean(alert.body, 300)
  return { title, body: platform === 'linux' ? escapeMarkup(body) : body }
}
