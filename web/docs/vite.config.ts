// The API reference, served by patrond at /docs/ (how every page is bundled: common/vite_site.ts).
// The build carries the contract itself, api/openapi.yaml, which the page reads from patrond at
// /docs/openapi.yaml: nothing is fetched from anywhere else.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import type {Plugin} from 'vite';
import {siteConfig} from '../common/vite_site.ts';

const spec = fileURLToPath(new URL('../../api/openapi.yaml', import.meta.url));

function openapiYaml(): Plugin {
    return {
        name: 'patron-openapi-yaml',
        buildStart() {
            this.addWatchFile(spec);
        },
        generateBundle() {
            this.emitFile({type: 'asset', fileName: 'openapi.yaml', source: readFileSync(spec, 'utf8')});
        },
        // `vite` (the development server) answers it too.
        configureServer(server) {
            server.middlewares.use('/docs/openapi.yaml', (_request, response) => {
                response.setHeader('Content-Type', 'application/yaml; charset=utf-8');
                response.end(readFileSync(spec, 'utf8'));
            });
        },
    };
}

// Swagger UI is one script of about 1.5 MB (430 kB gzipped), loaded once and cached for good.
export default siteConfig('docs', {plugins: [openapiYaml()], build: {chunkSizeWarningLimit: 2048}});
