// Patron's API reference: api/openapi.yaml (copied into the build, read from patrond at
// /docs/openapi.yaml) shown by Swagger UI, bundled here with its style sheet, so the page needs
// nothing but its own origin. Swagger UI sets the styles it computes through element.style (the
// CSSOM), which the policy's style-src 'self' allows; it writes no <style> element and no inline
// script. Its online validator badge is off, and so is reading another spec's address from the
// page's query (queryConfigEnabled, off by default).
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './style.css';

type Spec = Record<string, unknown>;

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// Each operation's address on the page (deep linking: /docs/#/pos/post-v1-pos-purchases) is its
// operationId. The contract names none, and the ids Swagger UI would make up ("post_v1_pos_purchases")
// hold underscores, which it reads as escaped spaces and logs an error for, every time such an
// address is opened: the page gives them its own, method and path joined by hyphens.
function nameOperations(spec: Spec) {
    const taken = new Set<string>();
    const operations: [string, string, Spec][] = [];
    for (const section of ['paths', 'webhooks']) {
        for (const [path, item] of Object.entries((spec[section] ?? {}) as Record<string, Spec>)) {
            for (const method of methods) {
                const operation = item?.[method] as Spec | undefined;
                if (!operation || typeof operation !== 'object') continue;
                if (typeof operation.operationId === 'string') taken.add(operation.operationId);
                else operations.push([method, path, operation]);
            }
        }
    }
    for (const [method, path, operation] of operations) {
        const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
        let unique = id;
        for (let n = 2; taken.has(unique); ++n) unique = `${id}-${n}`;
        taken.add(unique);
        operation.operationId = unique;
    }
}

// "Try it out" calls the patrond that serves this page: the contract's own server (a developer's
// 127.0.0.1:8080) is left out, and a contract without servers is served from "/" of its own origin,
// the only one the page's connect-src lets it reach (nor is there a one-choice server list to show).
function thisPatron(spec: Spec): Spec {
    nameOperations(spec);
    const {servers: _developers, ...rest} = spec;
    return rest;
}

type TextAreaProps = {className?: string; 'aria-label'?: string};

// Two of Swagger UI's accessibility faults, mended: an operation's or a tag's name is plain text
// inside the button that opens it, where Swagger UI wraps it in a link to its address too, a link
// inside a button (swagger-ui issue 9570; opening it still writes the address, which a reload or a
// bookmark opens again); and the request body's text box, "Try it out"'s, has a name.
function patronReference(): SwaggerUIPlugin {
    return {
        wrapComponents: {
            DeepLink: () => ({text}: {text: string}) => text,
            TextArea: (original) => (props: TextAreaProps) =>
                (original as (props: TextAreaProps) => unknown)(
                    props.className?.includes('body-param__text') && !props['aria-label']
                        ? {...props, 'aria-label': 'Request body'}
                        : props),
        },
        statePlugins: {
            spec: {
                wrapActions: {
                    updateJsonSpec: (original) => (spec) =>
                        original(spec && typeof spec === 'object' ? thisPatron(spec as Spec) : spec),
                },
            },
        },
    };
}

SwaggerUI({
    url: '/docs/openapi.yaml',
    dom_id: '#app',
    layout: 'BaseLayout',
    presets: [SwaggerUI.presets.apis],
    plugins: [patronReference],
    deepLinking: true,
    validatorUrl: null,
    queryConfigEnabled: false,
    displayRequestDuration: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    // The light theme: the default dark one ("agate") writes numbers below 4.5:1.
    syntaxHighlight: {activated: true, theme: 'idea'},
});
