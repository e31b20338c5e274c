// The dashboard's range: local days of the programme's time zone (what the reports read `from`
// and `to` as), its ready-made ranges in the page's calendar (a Persian month is a Jalali month,
// as the date fields show it) and the periods it is broken down by. Calendar arithmetic is the
// browser's own Intl (the Persian calendar), on dates written "YYYY-MM-DD".
import {shiftDays} from '@patron/common/date_field';
import type {Language} from '@patron/common/i18n';

import type {Periods, ReportQuery} from './api';

export type Preset = 'last7'|'last30'|'last90'|'thisMonth'|'lastMonth'|'thisYear';
export const presets: readonly Preset[] = ['last7', 'last30', 'last90', 'thisMonth', 'lastMonth', 'thisYear'];

// The reports refuse a longer range (README "Reports").
export const longestRangeDays = 366;

// Today in `timeZone` (the programme's), as "YYYY-MM-DD".
export function todayIn(timeZone: string): string {
    const parts = new Intl.DateTimeFormat('en-GB', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit'})
                      .formatToParts(new Date());
    const part = (type: string) => parts.find((found) => found.type === type)!.value;
    return `${part('year')}-${part('month')}-${part('day')}`;
}

export function daysBetween(from: string, to: string): number {
    return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// The day and month of a date in the Persian calendar.
function persianParts(iso: string): {day: number; month: number} {
    const parts =
        new Intl.DateTimeFormat('en-GB-u-ca-persian-nu-latn', {timeZone: 'UTC', day: 'numeric', month: 'numeric'})
            .formatToParts(new Date(`${iso}T12:00:00Z`));
    const part = (type: string) => Number(parts.find((found) => found.type === type)!.value);
    return {day: part('day'), month: part('month')};
}

function monthStart(language: Language, iso: string): string {
    return language === 'fa' ? shiftDays(iso, 1 - persianParts(iso).day) : `${iso.slice(0, 8)}01`;
}

function yearStart(language: Language, iso: string): string {
    if (language === 'en') return `${iso.slice(0, 4)}-01-01`;
    let start = monthStart(language, iso);
    while (persianParts(start).month !== 1) start = monthStart(language, shiftDays(start, -1));
    return start;
}

// The periods a range reads best by: days for a month, weeks for a season, months beyond.
export function periodsFor(language: Language, from: string, to: string): Periods {
    const days = daysBetween(from, to) + 1;
    if (days <= 31) return 'day';
    if (days <= 120) return 'week';
    return language === 'fa' ? 'jalali_month' : 'month';
}

// A month in the page's calendar: the Jalali month in Persian.
export function monthPeriods(language: Language): Periods {
    return language === 'fa' ? 'jalali_month' : 'month';
}

export function presetRange(preset: Preset, language: Language, today: string): ReportQuery {
    const range = (from: string, to: string) => ({from, to, by: periodsFor(language, from, to)});
    switch (preset) {
        case 'last7':
            return range(shiftDays(today, -6), today);
        case 'last30':
            return range(shiftDays(today, -29), today);
        case 'last90':
            return range(shiftDays(today, -89), today);
        case 'thisMonth':
            return range(monthStart(language, today), today);
        case 'lastMonth': {
            const end = shiftDays(monthStart(language, today), -1);
            return range(monthStart(language, end), end);
        }
        case 'thisYear':
            return range(yearStart(language, today), today);
    }
}
