import { defineConfig } from 'vitest/config'

/* End to end: the built web host driven by playwright-core in Debian's Chromium, one file at a time. */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
})
