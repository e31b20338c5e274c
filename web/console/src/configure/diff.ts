// What changed between two rule documents, as staff read it: entry by entry of each list (matched
// by id: added, removed, or the fields that changed with their value before and after), then the
// document's other settings (groups, defaults).
import {flatten, isObject, type Json, type JsonObject} from './doc';

export const ruleLists = ['rules', 'cashback', 'stamp_cards'] as const;
export type RuleListName = (typeof ruleLists)[number];

export interface FieldChange {
    path: string;
    before: Json|undefined;
    after: Json|undefined;
}

export interface EntryChange {
    list: RuleListName|'settings';
    id: string;
    name: string;
    change: 'added'|'removed'|'changed';
    fields: FieldChange[];
}

function entries(document: JsonObject, list: RuleListName): Map<string, JsonObject> {
    const found = new Map<string, JsonObject>();
    const value = document[list];
    if (!Array.isArray(value)) return found;
    for (const entry of value) {
        if (isObject(entry) && typeof entry.id === 'string') found.set(entry.id, entry);
    }
    return found;
}

function fieldChanges(before: Json|undefined, after: Json|undefined): FieldChange[] {
    const old = flatten(before);
    const next = flatten(after);
    const paths = [...new Set([...old.keys(), ...next.keys()])].sort();
    return paths.filter((path) => JSON.stringify(old.get(path)) !== JSON.stringify(next.get(path)))
        .map((path) => ({path, before: old.get(path), after: next.get(path)}));
}

function nameOf(entry: JsonObject|undefined, id: string): string {
    return typeof entry?.name === 'string' && entry.name !== '' ? entry.name : id;
}

export function diffDocuments(before: JsonObject, after: JsonObject): EntryChange[] {
    const changes: EntryChange[] = [];
    for (const list of ruleLists) {
        const old = entries(before, list);
        const next = entries(after, list);
        for (const [id, entry] of next) {
            const was = old.get(id);
            if (!was) {
                changes.push({list, id, name: nameOf(entry, id), change: 'added', fields: fieldChanges(undefined, entry)});
            } else {
                const fields = fieldChanges(was, entry);
                if (fields.length > 0) changes.push({list, id, name: nameOf(entry, id), change: 'changed', fields});
            }
        }
        for (const [id, entry] of old) {
            if (!next.has(id)) changes.push({list, id, name: nameOf(entry, id), change: 'removed', fields: []});
        }
        // The engine breaks ties of priority by the list's order: a new order is a change too.
        const kept = (ids: string[], other: Map<string, JsonObject>) => ids.filter((id) => other.has(id));
        const oldOrder = kept([...old.keys()], next);
        const newOrder = kept([...next.keys()], old);
        if (JSON.stringify(oldOrder) !== JSON.stringify(newOrder)) {
            changes.push({list, id: '', name: '', change: 'changed', fields: [{path: 'order', before: oldOrder, after: newOrder}]});
        }
    }
    const rest = (document: JsonObject) =>
        Object.fromEntries(Object.entries(document).filter(([key]) => !(ruleLists as readonly string[]).includes(key)));
    const settings = fieldChanges(rest(before), rest(after));
    if (settings.length > 0) changes.push({list: 'settings', id: '', name: '', change: 'changed', fields: settings});
    return changes;
}
