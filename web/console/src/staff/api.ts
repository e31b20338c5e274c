// The routes the Staff & audit section is built on (docs/integration.md, README "Staff accounts
// and roles" and "The audit log"): the programme's staff users, made and changed by admins, and
// the audit log read a page at a time.
import {client, type StaffRole} from '../api';

export interface StaffUser {
    id: number;
    email: string;
    name: string;
    role: StaffRole;
    status: 'active'|'disabled';
}

export interface NewStaffUser {
    name: string;
    email: string;
    role: StaffRole;
    password: string;
}

export type StaffUserChange = Partial<Pick<StaffUser, 'name'|'role'|'status'>>;

export const users = () => client.call<{users: StaffUser[]}>('GET', '/v1/staff/users');
export const createUser = (user: NewStaffUser) => client.call<StaffUser>('POST', '/v1/staff/users', user);
export const changeUser = (id: number, change: StaffUserChange) =>
    client.call<StaffUser>('PATCH', `/v1/staff/users/${id}`, change);

export interface AuditEntry {
    id: number;
    at: string;  // UTC.
    actor: string;
    action: string;
    entity: string;
    entity_id: number;
    member_id: number|null;
    fields: string[];
}

// A search of the log: each filter as the API names it, left out when empty.
export interface AuditSearch {
    actor?: string;
    member?: string;
    action?: string;
    from?: string;
    to?: string;
    limit?: string;
}

export const auditFilters = ['actor', 'member', 'action', 'from', 'to', 'limit'] as const;

export function auditQuery(search: AuditSearch, cursor?: string): string {
    const query = new URLSearchParams();
    for (const name of auditFilters) {
        const value = search[name]?.trim();
        if (value) query.set(name, value);
    }
    if (cursor) query.set('cursor', cursor);
    return query.toString();
}

export const auditLog = (search: AuditSearch, cursor?: string) => {
    const query = auditQuery(search, cursor);
    return client.call<{entries: AuditEntry[]; next_cursor: string | null}>(
        'GET', `/v1/audit-log${query ? `?${query}` : ''}`);
};
export const auditActions = () => client.call<{actions: string[]}>('GET', '/v1/audit-log/actions');
