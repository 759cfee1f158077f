import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

/*
 * Three bundles. main: the Electron entry plus the two Node-only hosts (web host, CLI), which share
 * the core and never import electron. preload: one CommonJS file with zod bundled in, because a
 * sandboxed preload can neither load ES modules nor require node_modules. renderer: the React app.
 */
export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          index: resolve('src/main/electron/index.ts'),
          web: resolve('src/main/web/index.ts'),
          cli: resolve('src/main/cli.ts'),
          // Untrusted payloads are parsed in worker threads; sources/parse-pool.ts finds this file.
          'parse-worker': resolve('src/main/sources/parse-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      // electron-vite leaves the renderer unminified; minified, the first screen parses faster.
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
})
