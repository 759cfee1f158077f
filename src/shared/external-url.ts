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
