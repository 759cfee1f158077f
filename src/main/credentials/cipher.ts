/**
 * What encrypts the credential file's entries: Electron's `safeStorage` (the OS keychain), or
 * nothing on the web host, which keeps them in a file only the user's account can read.
 */
export type Cipher = {
  /** Whether encryption works on this machine now (a Linux desktop without a keyring: no). */
  available(): boolean
  encrypt(text: string): Buffer
  /** Throws when the bytes were not made by this machine's key (a copied or damaged file). */
  decrypt(buffer: Buffer): string
}
