/* Which certificate authorities Earshot's requests trust. Node ships Mozilla's list and ignores the
   system's, so a certificate the browser accepts could still be refused here: an office's
   TLS-inspecting proxy signs every site with a root its IT installed in the system's store, and a
   self-hosted Mastodon may use a company authority installed the same way. Earshot trusts the
   system's authorities as well as Node's, as the browser does, where the runtime can list them
   (Node 22.19 and 24.5 on: Electron's Node does; older Node keeps its own list, plus
   NODE_EXTRA_CA_CERTS). */
import * as tls from 'node:tls'

export type CaApi = {
  getCACertificates?: (type: 'default' | 'system') => string[]
  setDefaultCACertificates?: (certificates: string[]) => void
}

export type SystemTrust =
  | { state: 'added'; system: number; total: number }
  | { state: 'unsupported' }
  | { state: 'failed'; reason: string }

/**
 * Adds the system's trusted authorities to the ones this thread's TLS clients trust by default
 * (Node's bundled list and NODE_EXTRA_CA_CERTS stay). Call before the first request: sessions
 * the https agent cached earlier keep their old trust. A store that cannot be read changes nothing.
 */
export function trustSystemCertificates(api: CaApi = tls as CaApi): SystemTrust {
  if (
    typeof api.getCACertificates !== 'function' ||
    typeof api.setDefaultCACertificates !== 'function'
  ) {
    return { state: 'unsupported' }
  }
  try {
    const current = api.getCACertificates('default')
    const system = api.getCACertificates('system')
    const all = [...new Set([...current, ...system])]
    if (all.length > current.length) api.setDefaultCACertificates(all)
    return { state: 'added', system: system.length, total: all.length }
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    return { state: 'failed', reason }
  }
}
