import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../../src/main/security/csp'

const directives = (policy: string) =>
  new Map(
    policy.split('; ').map((directive) => {
      const [name = '', ...values] = directive.split(' ')
      return [name, values] as const
    }),
  )

describe('contentSecurityPolicy', () => {
  it('is the strict policy for the Electron app', () => {
    expect(contentSecurityPolicy({ connectSrc: ["'self'"] })).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    )
  })

  it('lists what the web host needs in connect-src and nowhere else', () => {
    const policy = contentSecurityPolicy({ connectSrc: ["'self'", 'ws://127.0.0.1:4820'] })
    const parsed = directives(policy)
    expect(parsed.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4820'])
    expect(parsed.get('script-src')).toEqual(["'self'"])
    expect(policy.match(/ws:/g)).toHaveLength(1)
  })

  it('never allows inline code, eval or wildcards', () => {
    const policy = contentSecurityPolicy({ connectSrc: ["'self'", 'ws://[::1]:4820', 'wss:'] })
    expect(policy).not.toMatch(/unsafe|\*|blob:|filesystem:/)
    expect(directives(policy).get('default-src')).toEqual(["'none'"])
  })

  it('connects nowhere when given nothing, and drops repeats', () => {
    expect(directives(contentSecurityPolicy({ connectSrc: [] })).get('connect-src')).toEqual([
      "'none'",
    ])
    expect(
      directives(contentSecurityPolicy({ connectSrc: ["'self'", "'self'"] })).get('connect-src'),
    ).toEqual(["'self'"])
  })

  it.each([
    "'unsafe-inline'",
    "'unsafe-eval'",
    '*',
    'https://*.example.com',
    "'self'; script-src *",
    'ws://127.0.0.1:4820 https://evil.example',
    'https://example.com,https://evil.example',
    '',
    'self',
  ])('refuses the connect-src entry %j', (source) => {
    expect(() => contentSecurityPolicy({ connectSrc: [source] })).toThrow(/Refusing/)
  })
})
