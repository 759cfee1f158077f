import { describe, expect, it } from 'vitest'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import { pollSourceOnce } from '../../../../src/main/sources/poll-once'
import type { SourceConfig } from '../../../../src/shared/domain'
import { fakeSignin } from '../../../fixtures/fake-signin'

const config: SourceConfig = {
  id: 'cli',
  kind: 'bluesky',
  name: 'Bluesky @acme.bsky.social',
  paused: false,
  createdAt: 0,
  service: 'http://127.0.0.1:9',
  identifier: 'acme.bsky.social',
  intervalSec: 120,
}

describe('pollSourceOnce with credentials', () => {
  it('hands the secrets to the connector, which may save a session into them', async () => {
    const fake = fakeSignin('bluesky', 'app-pass-1234', 'appPassword')
    const secrets = memorySecrets({ appPassword: 'app-pass-1234' })
    const result = await pollSourceOnce(config, {
      connectors: { bluesky: fake.connector },
      secrets,
    })
    expect(result.mentions).toHaveLength(1)
    expect(fake.seen).toEqual([{ appPassword: 'app-pass-1234' }])
    expect(secrets.get()).toEqual({
      appPassword: 'app-pass-1234',
      session: 'session-for-app-pass-1234',
    })
  })

  it('without secrets the connector is refused as a sign-in problem', async () => {
    const fake = fakeSignin('bluesky', 'app-pass-1234', 'appPassword')
    await expect(
      pollSourceOnce(config, { connectors: { bluesky: fake.connector } }),
    ).rejects.toMatchObject({ kind: 'auth' })
  })
})
