import * as tls from 'node:tls'
import { describe, expect, it } from 'vitest'
import { trustSystemCertificates, type CaApi } from '../../../../src/main/sources/system-ca'

/* Certificates the system trusts (an office's inspecting proxy, a company authority) are trusted
   by Earshot's requests too, as in the browser, without losing Node's own list. */

const pem = (name: string) => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`

function fakeTls(stores: { default: string[]; system: string[] | Error }) {
  const set: string[][] = []
  const api: CaApi = {
    getCACertificates: (type) => {
      const store = stores[type]
      if (store instanceof Error) throw store
      return store
    },
    setDefaultCACertificates: (certificates) => void set.push(certificates),
  }
  return { api, set }
}

describe('trusting the system certificate authorities', () => {
  it("adds the system's authorities after Node's own, each once", () => {
    const fake = fakeTls({
      default: [pem('mozilla-1'), pem('mozilla-2')],
      system: [pem('mozilla-2'), pem('office-inspection-root')],
    })
    expect(trustSystemCertificates(fake.api)).toEqual({ state: 'added', system: 2, total: 3 })
    expect(fake.set).toEqual([[pem('mozilla-1'), pem('mozilla-2'), pem('office-inspection-root')]])
  })

  it('changes nothing when the system adds no authority of its own', () => {
    const fake = fakeTls({ default: [pem('a'), pem('b')], system: [pem('b')] })
    expect(trustSystemCertificates(fake.api)).toEqual({ state: 'added', system: 1, total: 2 })
    expect(fake.set).toEqual([])
  })

  it("keeps Node's list when the system store cannot be read, and says why", () => {
    const fake = fakeTls({ default: [pem('a')], system: new Error('keychain locked') })
    expect(trustSystemCertificates(fake.api)).toEqual({
      state: 'failed',
      reason: 'keychain locked',
    })
    expect(fake.set).toEqual([])
  })

  it('says when this runtime cannot list them (Node before 22.19 and 24.5)', () => {
    expect(trustSystemCertificates({})).toEqual({ state: 'unsupported' })
    const runtime = tls as CaApi
    const expected =
      typeof runtime.getCACertificates === 'function' &&
      typeof runtime.setDefaultCACertificates === 'function'
        ? 'added'
        : 'unsupported'
    // The real module on this machine: no change is made here, only the answer is checked.
    const probe: CaApi = {}
    if (runtime.getCACertificates) probe.getCACertificates = runtime.getCACertificates
    if (runtime.setDefaultCACertificates) probe.setDefaultCACertificates = () => undefined
    expect(trustSystemCertificates(probe).state).toBe(expected)
  })
})
