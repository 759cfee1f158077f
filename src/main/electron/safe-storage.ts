/* The credential store's Cipher in Electron: safeStorage, backed by the OS keychain. */
import { safeStorage } from 'electron'
import type { Cipher } from '../credentials/cipher'

/** Opt-in to plain-text credentials where the OS offers no keyring (a bare Linux desktop). */
export const PLAIN_CREDENTIALS_ENV = 'EARSHOT_PLAIN_CREDENTIALS'
export const PLAIN_CREDENTIALS_HINT = `To keep them unencrypted in a file only your user account can read, start Earshot with ${PLAIN_CREDENTIALS_ENV}=1.`

export const safeStorageCipher: Cipher = {
  // On Linux without a keyring Electron falls back to a hard-coded key ('basic_text'): that is
  // obfuscation, not encryption, so it counts as unavailable.
  available: () =>
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encrypt: (text) => safeStorage.encryptString(text),
  decrypt: (buffer) => safeStorage.decryptString(buffer),
}

/** Whether the responder chose plain-text credentials for this machine. */
export const plainCredentialsAllowed = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env[PLAIN_CREDENTIALS_ENV] === '1'
