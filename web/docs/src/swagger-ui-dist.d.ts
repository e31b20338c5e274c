// The little of Swagger UI's configuration the page uses (swagger-ui-dist ships no types).
type SwaggerUIAction = (...args: any[]) => unknown;

interface SwaggerUIPlugin {
    wrapComponents?: Record<string, (original: unknown, system: unknown) => (props: any) => unknown>;
    statePlugins?: Record<string, {
        wrapActions?: Record<string, (original: SwaggerUIAction, system: unknown) => SwaggerUIAction>;
    }>;
}

interface SwaggerUIConfig {
    url: string;
    dom_id: string;
    layout?: string;
    presets?: unknown[];
    plugins?: (() => SwaggerUIPlugin)[];
    deepLinking?: boolean;
    validatorUrl?: string | null;
    queryConfigEnabled?: boolean;
    displayRequestDuration?: boolean;
    docExpansion?: 'list' | 'full' | 'none';
    defaultModelsExpandDepth?: number;
    syntaxHighlight?: {activated: boolean; theme: string};
}

declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
    const SwaggerUI: ((config: SwaggerUIConfig) => unknown) & {presets: {apis: unknown}};
    export default SwaggerUI;
}
