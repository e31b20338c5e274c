// Bundles the portal into build/web/portal, served by patrond at /portal/. Hashed asset names
// let patrond cache them for good; nothing is inlined, so the page runs under a CSP without
// 'unsafe-inline'.
import {defineConfig} from 'vite';

export default defineConfig({
    base: '/portal/',
    oxc: {jsx: {runtime: 'automatic', importSource: 'preact'}},
    build: {
        outDir: '../../build/web/portal',
        emptyOutDir: true,
        assetsInlineLimit: 0,
        modulePreload: {polyfill: false},
        target: 'es2022',
    },
});
