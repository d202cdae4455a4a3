/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// The Tauri shell loads `devUrl` (http://localhost:1420) in development and the built `ui/dist`
// in release; relative asset paths keep the build loadable from any origin or path.
export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  base: './',
  clearScreen: false,
  // Variables the Tauri CLI sets (TAURI_ENV_PLATFORM, TAURI_ENV_DEBUG, ...) are visible too.
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  server: {
    // tauri.conf.json's devUrl is http://localhost:1420.
    port: 1420,
    strictPort: true,
  },
  preview: {
    port: 1421,
    strictPort: true,
    host: '127.0.0.1',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
  },
});
