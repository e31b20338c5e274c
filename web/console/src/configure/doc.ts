// A JSON document edited in place by the forms: a value read and written at a path
// ("conditions.min_amount"), the document copied on write so the screen redraws, and what the
// form leaves empty taken out (an empty list, an empty object, a blank field), so that the
// document the API receives holds only what staff set, and every key the form does not know
// (written in the JSON view) is kept as it was.
export type Json = null|boolean|number|string|Json[]|{[key: string]: Json};
export type JsonObject = {[key: string]: Json};

export function isObject(value: unknown): value is JsonObject {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getAt(document: JsonObject, path: string): Json|undefined {
    let at: Json|undefined = document;
    for (const key of path.split('.')) {
        if (!isObject(at)) return undefined;
        at = at[key];
    }
    return at;
}

function empty(value: Json|undefined): boolean {
    return value === undefined || value === '' || (Array.isArray(value) && value.length === 0) ||
        (isObject(value) && Object.keys(value).length === 0);
}

// A copy of `document` with `value` at `path`; an empty value removes the key, and then any
// object it leaves empty.
export function setAt(document: JsonObject, path: string, value: Json|undefined): JsonObject {
    const [key, ...rest] = path.split('.');
    const copy: JsonObject = {...document};
    const next = rest.length === 0 ? value : setAt(isObject(copy[key!]) ? copy[key!] as JsonObject : {}, rest.join('.'), value);
    if (empty(next)) delete copy[key!];
    else copy[key!] = next!;
    return copy;
}

// The problems of a refused document that are about the entry at `prefix` ("rules[2]"), by their
// path inside it ("conditions.min_amount"); "" is the entry itself.
export function problemsUnder(problems: Map<string, string>, prefix: string): Map<string, string> {
    const found = new Map<string, string>();
    for (const [path, message] of problems) {
        if (path === prefix) found.set('', message);
        else if (path.startsWith(`${prefix}.`)) found.set(path.slice(prefix.length + 1), message);
    }
    return found;
}

// The paths of every value in `value`, flattened ("limits.per_day" -> 100); lists of plain values
// are one value each, lists of objects are indexed.
export function flatten(value: Json|undefined, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
    if (isObject(value)) {
        for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
    } else if (Array.isArray(value) && value.some((item) => isObject(item) || Array.isArray(item))) {
        value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, out));
    } else if (value !== undefined) {
        out.set(prefix, value);
    }
    return out;
}
