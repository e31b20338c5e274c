// How each web page is bundled: into build/web/NAME, served by patrond at /NAME/. Hashed asset
// names let patrond cache them for good; nothing is inlined, so the page runs under a CSP without
// 'unsafe-inline'. The pages share their public files (the icon). `extra` adds to that (the API
// reference's plugin that puts api/openapi.yaml into its build).
import {fileURLToPath} from 'node:url';
import {defineConfig, mergeConfig, type UserConfig} from 'vite';

export function siteConfig(name: 'portal'|'console'|'docs', extra: UserConfig = {}): UserConfig {
    return mergeConfig(defineConfig({
        base: `/${name}/`,
        publicDir: fileURLToPath(new URL('./public', import.meta.url)),
        oxc: {jsx: {runtime: 'automatic', importSource: 'preact'}},
        build: {
            outDir: `../../build/web/${name}`,
            emptyOutDir: true,
            assetsInlineLimit: 0,
            modulePreload: {polyfill: false},
            target: 'es2022',
        },
    }), extra);
}
