/* The one gate for links leaving the app for the system browser. Pure: runs in main and the page. */

/** Longer links are refused: no real post needs more, and browsers truncate differently. */
export const MAX_EXTERNAL_URL_LENGTH = 2048

// Control, format (bidi overrides, zero-width), lone surrogates and any whitespace. The URL parser
// silently strips some of these, so the link the user saw would not be the link that opens.
const hiddenCharacters = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}\s]/u

// The scheme and `//` must be written out: `http:evil.example` and `http:\\evil.example` parse to a
// host too, but only by the parser's error recovery, which other programs may not share.
const explicitHttp = /^https?:\/\/([^/?#]*)/i

/**
 * True when `url` may be handed to the operating system: http(s), a host, no credentials, nothing
 * hidden, at most 2048 characters. Never throws.
 */
export function isSafeExternal(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) {
    return false
  }
  if (hiddenCharacters.test(url)) return false
  const authority = explicitHttp.exec(url)?.[1]
  // `@` (userinfo, even empty) and `\` in the authority are how links disguise their real host.
  if (authority === undefined || authority === '' || /[@\\]/.test(authority)) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === ''
  )
}

// One plain address (percent-encoded parts allowed), then an optional query of subject/body/cc.
const mailtoShape = /^mailto:([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})(\?[^#]*)?$/i

/**
 * A `mailto:` draft (the hand-off e-mail), which `shell:openExternal` also accepts: one address with
 * a domain, headers limited to subject, body and cc, everything percent-encoded (no raw spaces or
 * hidden characters), at most 2048 characters. Link navigation in the window stays http(s) only.
 */
export function isSafeMailto(url: unknown): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) {
    return false
  }
  if (hiddenCharacters.test(url)) return false
  const match = mailtoShape.exec(url)
  if (!match) return false
  const query = match[2]
  if (!query) return true
  for (const pair of query.slice(1).split('&')) {
    const name = pair.split('=')[0]?.toLowerCase()
    if (name !== 'subject' && name !== 'body' && name !== 'cc') return false
    try {
      decodeURIComponent(pair)
    } catch {
      return false
    }
  }
  return true
}
