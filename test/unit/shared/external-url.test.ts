import { describe, expect, it } from 'vitest'
import {
  isSafeExternal,
  isSafeMailto,
  MAX_EXTERNAL_URL_LENGTH,
} from '../../../src/shared/external-url'
import { seeded } from '../../fixtures/seeded'

describe('isSafeExternal', () => {
  it.each([
    ['https://example.com', true],
    ['http://example.com/path?q=1#frag', true],
    ['HTTPS://Example.COM/A', true],
    ['https://sub.example.co.uk:8443/x', true],
    ['https://[2001:db8::1]/', true],
    ['https://127.0.0.1/status', true],
    ['https://bsky.app/profile/ana.example/post/3k', true],
    ['https://xn--bcher-kva.example/', true],
    ['https://example.com/%E2%9C%93', true],
    ['https://bücher.example/', true],
  ])('accepts %s', (url, expected) => {
    expect(isSafeExternal(url)).toBe(expected)
  })

  it.each([
    ['javascript:alert(1)', 'javascript'],
    ['JaVaScRiPt:alert(1)', 'javascript, mixed case'],
    [' javascript:alert(1)', 'leading space'],
    ['java\tscript:alert(1)', 'tab inside the scheme'],
    ['file:///etc/passwd', 'file'],
    ['file://host/share', 'file with host'],
    ['data:text/html,<script>alert(1)</script>', 'data'],
    ['vbscript:msgbox(1)', 'vbscript'],
    ['ms-settings:privacy', 'custom scheme'],
    ['slack://open', 'custom scheme with host'],
    ['ftp://example.com/', 'ftp'],
    ['mailto:someone@example.com', 'mailto'],
    ['about:blank', 'about'],
    ['app://earshot/index.html', 'the app itself'],
    ['https://user:pass@example.com', 'userinfo'],
    ['https://user@example.com', 'user only'],
    ['https://@example.com', 'empty userinfo'],
    ['https://example.com@evil.example', 'host disguised as userinfo'],
    ['https://', 'no host'],
    ['https:///path', 'empty authority'],
    ['http:example.com', 'no slashes'],
    ['http:/example.com', 'one slash'],
    ['http:\\\\evil.example', 'backslashes'],
    ['https://evil.example\\@good.example', 'backslash in authority'],
    ['/relative/path', 'relative'],
    ['//example.com', 'protocol-relative'],
    ['example.com', 'bare host'],
    ['https://exa mple.com', 'space'],
    ['https://example.com/a b', 'space in path'],
    ['https://example.com\n', 'trailing newline'],
    ['https://example.com/\r\nSet-Cookie:x', 'CRLF'],
    ['https://example.com/\u0000', 'NUL'],
    ['https://example.com/\u007f', 'DEL'],
    ['https://example.com/\u0085', 'C1 control'],
    ['https://example.com/\u202egnp.exe', 'right-to-left override'],
    ['https://exam\u200bple.com', 'zero-width space'],
    ['https://example.com/\u00a0', 'no-break space'],
    ['https://example.com/\u2028', 'line separator'],
    ['https://example.com/\ud800', 'lone surrogate'],
    ['\ufeffhttps://example.com', 'byte-order mark'],
    ['https://exa%mple.com', 'invalid host'],
    ['', 'empty'],
    [`https://example.com/${'a'.repeat(MAX_EXTERNAL_URL_LENGTH)}`, 'too long'],
  ])('rejects %s (%s)', (url) => {
    expect(isSafeExternal(url)).toBe(false)
  })

  it('accepts exactly the maximum length and not one more', () => {
    const base = 'https://example.com/'
    const atMax = base + 'a'.repeat(MAX_EXTERNAL_URL_LENGTH - base.length)
    expect(isSafeExternal(atMax)).toBe(true)
    expect(isSafeExternal(atMax + 'a')).toBe(false)
  })

  it.each([
    [undefined],
    [null],
    [42],
    [true],
    [{ toString: () => 'https://example.com' }],
    [new URL('https://example.com')],
    [['https://example.com']],
    [Symbol('https://example.com')],
  ])('rejects the non-string %s', (value) => {
    expect(isSafeExternal(value)).toBe(false)
  })

  it('never throws, and whatever it accepts is http(s) with a host and no credentials', () => {
    const random = seeded(0xea5_0001)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    const schemes = ['http', 'https', 'HTTP', 'javascript', 'file', 'data', 'app', 'ftp', '', 'h']
    const separators = ['://', '://', '://', ':', ':/', ':\\\\', '://@', '//', ':///', '']
    const userinfo = ['', '', '', '', 'user:pw@', 'user@', '@', ':@']
    const hosts = [
      'example.com',
      'a.b',
      '127.0.0.1',
      '[::1]',
      'xn--bcher-kva.example',
      '',
      'exa%mple',
    ]
    const tails = ['', '/', '/path', ':80/', '?q=1', '#x', '/a/../b', '/%2e%2e/%00']
    const nasty = [...'abc019.-_~:/?#[]@!$&\'()*+,;=% \t\n\\"<>^`{|}\u0000\u00e9\u202e\ud83d\ude00']
    const noise = (max: number) => {
      let out = ''
      const length = Math.floor(random() * max)
      for (let i = 0; i < length; i++) out += pick(nasty)
      return out
    }
    // Mostly plausible links with a few characters changed, some pure noise.
    const mutate = (value: string) => {
      let out = value
      const edits = Math.floor(random() * 3)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (out.length + 1))
        out = out.slice(0, at) + noise(2) + out.slice(at + Math.floor(random() * 2))
      }
      return out
    }
    let accepted = 0
    for (let i = 0; i < 5000; i++) {
      const candidate =
        random() < 0.1
          ? noise(40)
          : mutate(
              `${pick(schemes)}${pick(separators)}${pick(userinfo)}${pick(hosts)}${pick(tails)}`,
            )
      let verdict = false
      expect(() => {
        verdict = isSafeExternal(candidate)
      }).not.toThrow()
      if (!verdict) continue
      accepted++
      const url = new URL(candidate)
      expect(['http:', 'https:']).toContain(url.protocol)
      expect(url.hostname).not.toBe('')
      expect(url.username).toBe('')
      expect(url.password).toBe('')
      expect(candidate.length).toBeLessThanOrEqual(MAX_EXTERNAL_URL_LENGTH)
    }
    // The generator must actually reach the accepting side, or the property proves nothing.
    expect(accepted).toBeGreaterThan(50)
  })
})

describe('isSafeMailto (the hand-off e-mail draft)', () => {
  it.each([
    'mailto:pr@example.com',
    'mailto:PR.Team+social@example.co.uk?subject=Hand-off&body=Line%20one%0ALine%20two',
    `mailto:pr@example.com?body=${encodeURIComponent('“quoted” 👍 & more')}`,
    'mailto:pr@example.com?cc=boss%40example.com&subject=x',
  ])('accepts %s', (url) => {
    expect(isSafeMailto(url)).toBe(true)
  })

  it.each([
    ['mailto:', 'no address'],
    ['mailto:pr', 'no domain'],
    ['mailto:a@example.com,b@example.com', 'several addresses'],
    ['mailto:pr@example.com?body=raw space', 'raw space'],
    ['mailto:pr@example.com?body=a%0D%0A&bcc=spy@example.com', 'bcc header'],
    ['mailto:pr@example.com?attach=/etc/passwd', 'attachment header'],
    ['mailto:pr@example.com?body=%E0%A4%A', 'broken percent-encoding'],
    ['mailto:pr@example.com\n', 'trailing newline'],
    ['mailto:pr@exam\u200bple.com', 'zero-width space'],
    [`mailto:pr@example.com?body=${'x'.repeat(MAX_EXTERNAL_URL_LENGTH)}`, 'too long'],
    ['javascript:alert(1)//mailto:pr@example.com', 'another scheme'],
  ])('refuses %s (%s)', (url) => {
    expect(isSafeMailto(url)).toBe(false)
  })

  it('does not widen what the window may navigate to', () => {
    expect(isSafeExternal('mailto:pr@example.com')).toBe(false)
  })
})
