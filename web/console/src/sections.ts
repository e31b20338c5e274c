// The console's sections and who may use each: the roles the API admits to the routes the section
// is built on (docs/integration.md, "Who is calling", route by route). The console shows a role
// only its sections; the API refuses the rest anyway.
import type {StaffRole} from './api';
import type {WordKey} from './i18n';

// A sentence of a section's description, shown only to the roles that may do what it promises
// (those of the routes named beside it): a role does not read of what the API keeps from it.
export interface About {
    words: WordKey;
    roles: readonly StaffRole[];
}

export interface Section {
    path: string;  // Its address: /console/PATH, and its screens' below it.
    title: WordKey;
    about: readonly About[];
    roles: readonly StaffRole[];  // Those of the route named beside it.
}

export const sections: readonly Section[] = [
    // GET /v1/reports/points
    {
        path: 'dashboard',
        title: 'dashboard',
        about: [{words: 'dashboardAbout', roles: ['admin', 'marketer', 'analyst']}],
        roles: ['admin', 'marketer', 'analyst'],
    },
    // PUT /v1/program/rules/draft
    {
        path: 'configure',
        title: 'configure',
        about: [
            {words: 'configureAbout', roles: ['admin', 'marketer']},
            // POST /v1/stores, POST /v1/stores/:store/terminals and its keys
            {words: 'configureStores', roles: ['admin']},
        ],
        roles: ['admin', 'marketer'],
    },
    // GET /v1/members
    {
        path: 'members',
        title: 'members',
        about: [
            {words: 'membersAbout', roles: ['admin', 'support']},
            // DELETE /v1/members/:id
            {words: 'membersErase', roles: ['admin']},
        ],
        roles: ['admin', 'support'],
    },
    // GET /v1/draws, GET /v1/draws/:id and its proof
    {
        path: 'draws',
        title: 'draws',
        about: [
            {words: 'drawsAbout', roles: ['admin', 'marketer', 'support', 'analyst']},
            // POST /v1/draws, PUT /v1/draws/:id, its publish, cancel, codes and run
            {words: 'drawsChange', roles: ['admin', 'marketer']},
            // POST /v1/draws/:id/places/:place/claim
            {words: 'drawsClaim', roles: ['admin', 'marketer', 'support']},
        ],
        roles: ['admin', 'marketer', 'support', 'analyst'],
    },
    // GET /v1/fraud/signals
    {
        path: 'fraud',
        title: 'fraud',
        about: [
            {words: 'fraudAbout', roles: ['admin', 'support', 'analyst']},
            // POST /v1/fraud/signals/:id/review
            {words: 'fraudReview', roles: ['admin', 'support']},
            // PUT /v1/fraud/policy
            {words: 'fraudPolicy', roles: ['admin']},
        ],
        roles: ['admin', 'support', 'analyst'],
    },
    // GET /v1/staff/users
    {
        path: 'staff',
        title: 'staff',
        about: [{words: 'staffAbout', roles: ['admin']}],
        roles: ['admin'],
    },
];

export function sectionsFor(role: StaffRole): Section[] {
    return sections.filter((section) => section.roles.includes(role));
}

// What `role` reads of what `section` does.
export function aboutFor(section: Section, role: StaffRole): WordKey[] {
    return section.about.filter((about) => about.roles.includes(role)).map((about) => about.words);
}

// Where an address under /console/ leads: the console's home (''), a section with the rest of the
// address below it, or nothing known.
export function sectionAt(pathname: string): {section: Section; rest: string[]}|''|null {
    const path = pathname.replace(/^\/console\/?/, '').replace(/\/$/, '');
    if (path === '') return '';
    const [first, ...rest] = path.split('/');
    const section = sections.find((known) => known.path === first);
    if (!section) return null;
    try {
        return {section, rest: rest.map(decodeURIComponent)};
    } catch {
        return null;  // A malformed escape is no address of the console.
    }
}

// The old addresses of screens that moved, each with the screen's address now: prize draws were a
// screen of Configure. What follows an old address follows the new one, so a bookmark still leads
// to the same screen.
const moved: readonly {from: string; to: string}[] = [{from: 'configure/draws', to: 'draws'}];

// Where an address under /console/ that moved leads now (/console/configure/draws/3 to
// /console/draws/3), or null for one that did not move.
export function movedTo(pathname: string): string|null {
    const path = pathname.replace(/^\/console\/?/, '').replace(/\/$/, '');
    const found = moved.find((known) => path === known.from || path.startsWith(`${known.from}/`));
    return found ? `/console/${found.to}${path.slice(found.from.length)}` : null;
}
