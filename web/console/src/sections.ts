// The console's sections and who may use each: the roles the API admits to the routes the section
// is built on (docs/integration.md, "Who is calling", route by route). The console shows a role
// only its sections; the API refuses the rest anyway.
import type {StaffRole} from './api';
import type {WordKey} from './i18n';

export interface Section {
    path: string;  // Its address: /console/PATH.
    title: WordKey;
    about: WordKey;
    roles: readonly StaffRole[];  // Those of the route named beside it.
}

export const sections: readonly Section[] = [
    // GET /v1/reports/points
    {
        path: 'dashboard',
        title: 'dashboard',
        about: 'dashboardAbout',
        roles: ['admin', 'marketer', 'analyst'],
    },
    // PUT /v1/program/rules/draft
    {
        path: 'configure',
        title: 'configure',
        about: 'configureAbout',
        roles: ['admin', 'marketer'],
    },
    // GET /v1/members
    {
        path: 'members',
        title: 'members',
        about: 'membersAbout',
        roles: ['admin', 'support'],
    },
    // GET /v1/staff/users
    {
        path: 'staff',
        title: 'staff',
        about: 'staffAbout',
        roles: ['admin'],
    },
];

export function sectionsFor(role: StaffRole): Section[] {
    return sections.filter((section) => section.roles.includes(role));
}

// Where an address under /console/ leads: the console's home (''), a section, or nothing known.
export function sectionAt(pathname: string): Section|''|null {
    const path = pathname.replace(/^\/console\/?/, '').replace(/\/$/, '');
    if (path === '') return '';
    return sections.find((section) => section.path === path) ?? null;
}
