/* The page's Content Security Policy, shared by the Electron app:// handler and the web host. */

export type CspOptions = {
  /** Where the page may connect: `'self'`, or scheme/host sources such as `ws://127.0.0.1:4820`. */
  connectSrc: readonly string[]
}

// One source expression each: `'self'`, a scheme (`ws:`), or scheme://host[:port][/path]. No
// wildcards, quotes other than 'self', separators or whitespace, so a caller cannot smuggle in a
// second directive or re-open `unsafe-inline`.
const sourceExpression =
  /^(?:'self'|[a-z][a-z0-9+.-]*:(?:\/\/[a-z0-9.-]+|\/\/\[[0-9a-f:.]+\])?(?::\d{1,5})?(?:\/[\w./-]*)?)$/i

/**
 * The strict policy: scripts, styles and fonts from the app only, images from the app or data:,
 * no plugins, frames, forms or base changes. Throws on a malformed `connectSrc` entry, which is a
 * programming error, not input.
 */
export function contentSecurityPolicy({ connectSrc }: CspOptions): string {
  for (const source of connectSrc) {
    if (!sourceExpression.test(source)) throw new Error(`Refusing CSP connect-src entry ${source}`)
  }
  const connect = connectSrc.length > 0 ? [...new Set(connectSrc)].join(' ') : "'none'"
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
