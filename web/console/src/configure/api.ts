// The routes the Configure section is built on (docs/integration.md: the rules' draft, preview,
// publishing, versions and rollback; tiers and segments for the rule form's choices).
import {client} from '../api';

import type {JsonObject} from './doc';

export interface Draft {
    document: JsonObject;
    based_on_version: number|null;
    updated_by: string|null;
    updated_at: string|null;
}

export interface VersionSummary {
    version: number;
    effective_from: string;
    published_at: string;
    published_by: string;
    note: string;
}

export interface Version extends VersionSummary {
    document: JsonObject;
}

export interface Effect {
    kind: string;
    rule_id: string;
    rule_version: number;
    amount: number;
    receipt_line: string;
    raw_milli?: number;
    capped?: boolean;
}

export interface Preview {
    member: {id: number; tier: string; points_available: number}|null;
    points: {earned: number; redeemed: number};
    cashback: {earned: number};
    effects: Effect[];
    receipt_lines: string[];
}

export const draft = () => client.call<Draft>('GET', '/v1/program/rules/draft');
export const saveDraft = (document: JsonObject) => client.call<Draft>('PUT', '/v1/program/rules/draft', document);
export const discardDraft = () => client.call<void>('DELETE', '/v1/program/rules/draft');
export const preview = (purchase: JsonObject, memberId: number|null) =>
    client.call<Preview>('POST', '/v1/program/rules/draft/preview', {purchase, member_id: memberId});
export const publish = (effectiveFrom: string|null, note: string) =>
    client.call<Version>('POST', '/v1/program/rules/publish', {effective_from: effectiveFrom, note});
export const versions = () => client.call<{versions: VersionSummary[]}>('GET', '/v1/program/rules/versions');
export const version = (number: number) => client.call<Version>('GET', `/v1/program/rules/versions/${number}`);
export const rollback = (number: number, note: string) =>
    client.call<Version>('POST', `/v1/program/rules/versions/${number}/rollback`, {note});
export const tiers = () => client.call<{tiers?: {name: string}[]}>('GET', '/v1/program/tiers');
