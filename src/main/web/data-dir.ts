import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * The platform's usual per-user data folder for the web host. It differs from the Electron app's,
 * because each host's renderer keeps its own IndexedDB and acks its own journal.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Earshot Web')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Earshot Web')
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'earshot-web')
}
