// Form fields bound to a place in a JSON document (doc.ts): each reads its value at `path`,
// writes it back, and shows beside itself the API's problem for that path. What staff type that
// is not a number where one is wanted is kept as typed, so the API's own message says what is
// wrong with it at the field, and nothing is guessed.
import { ApiError } from "@patron/common/api";
import { DateField } from "@patron/common/date_field";
import { digits, formatNumber, type Language, moneyText, parseMoney } from "@patron/common/i18n";
import { TimeLists } from "@patron/common/time_lists";
import { zonedInstant, zonedParts } from "@patron/common/zone";
import type { ComponentChildren } from "preact";
import { useId, useState } from "preact/hooks";

import { getAt, isObject, type Json, type JsonObject, problemsUnder, setAt } from "./doc";
import { word } from "./words";

export interface Bound {
  entry: JsonObject;
  set: (entry: JsonObject) => void;
  problems: Map<string, string>;
}

interface FieldProps extends Bound {
  path: string;
  label: string;
  hint?: string;
}

// Western digits for what was typed with Persian or Arabic ones.
export function latinDigits(text: string): string {
  return text
    .replace(/[۰-۹]/g, (digit) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(digit)))
    .replace(/[٠-٩]/g, (digit) => String("٠١٢٣٤٥٦٧٨٩".indexOf(digit)))
    .replace("٫", ".");
}

// A refusal found before asking the API, in its shape (VALIDATION_FAILED naming each field), so
// that it is said and shown beside its fields as the API's own would be.
export function refusedHere(fields: string[], message: string): ApiError {
  return new ApiError(422, {
    code: "VALIDATION_FAILED",
    message,
    problems: fields.map((field) => ({ field, message })),
  });
}

// The label, the control, a hint and the problem, tied together for screen readers (the label
// names the control alone; the hint and the problem describe it).
export function Labelled({ label, hint, problem, wide = false, children }: {
  label: string;
  hint?: string;
  problem?: string;
  wide?: boolean; // The whole row of its grid (a list whose choices are sentences).
  children: (control: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => ComponentChildren;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : "", problem ? `${id}-problem` : ""].filter(Boolean).join(" ");
  return (
    <div class={wide ? "bound wide" : "bound"}>
      <label for={id}>{label}</label>
      {children({ id, "aria-describedby": described || undefined, "aria-invalid": problem ? true : undefined })}
      {hint && (
        <small class="hint" id={`${id}-hint`}>
          {hint}
        </small>
      )}
      {problem && (
        <span class="field-problem" id={`${id}-problem`}>
          {problem}
        </span>
      )}
    </div>
  );
}

// The problem of a list or of any of its items ("stores", "stores[2]").
function problemOfList(problems: Map<string, string>, path: string): string | undefined {
  return [...problems].find(([at]) => at === path || at.startsWith(`${path}[`))?.[1];
}

// A problem beside a group of controls (checkboxes, a date and a time), and what ties each control
// to it: described by it, and marked invalid while there is one.
function useGroupProblem(problem: string | undefined) {
  const id = useId();
  const control = problem ? { "aria-describedby": `${id}-problem`, "aria-invalid": true } : {};
  const shown = problem && (
    <span class="field-problem" id={`${id}-problem`}>
      {problem}
    </span>
  );
  return { control, shown };
}

export function TextAt({ entry, set, problems, path, label, hint, dir }: FieldProps & { dir?: "ltr" | "auto" }) {
  const value = getAt(entry, path);
  return (
    <Labelled label={label} hint={hint} problem={problems.get(path)}>
      {(control) => (
        <input
          type="text"
          name={path}
          dir={dir ?? "auto"}
          value={typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value)}
          onInput={(event) => set(setAt(entry, path, event.currentTarget.value))}
          {...control}
        />
      )}
    </Labelled>
  );
}

// Words of some length in one language (a message to members), written as typed: its language
// and direction are the words', not the page's.
export function TextAreaAt({ entry, set, problems, path, label, hint, lang }: FieldProps & { lang: "en" | "fa" }) {
  const value = getAt(entry, path);
  return (
    <Labelled label={label} hint={hint} problem={problems.get(path)}>
      {(control) => (
        <textarea
          class="words"
          name={path}
          lang={lang}
          dir={lang === "fa" ? "rtl" : "ltr"}
          rows={3}
          value={typeof value === "string" ? value : ""}
          onInput={(event) => set(setAt(entry, path, event.currentTarget.value))}
          {...control}
        />
      )}
    </Labelled>
  );
}

// A number: whole unless `decimals`; shown in the page's digits, read in any.
export function NumberAt({ entry, set, problems, path, label, hint, language, decimals = false }: FieldProps & {
  language: Language;
  decimals?: boolean;
}) {
  const value = getAt(entry, path);
  const pattern = decimals ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
  // What is being typed ("1.0" on the way to "1.05") is shown as typed, not as the number it is.
  const [typed, setTyped] = useState<string | null>(null);
  // Beyond 2^53 a page's number is not exact: such a number is kept as typed, not rounded, and
  // refused here at once (the API refuses it too).
  const exact = (text: string) => Math.abs(Number(text)) <= Number.MAX_SAFE_INTEGER;
  const tooLarge = typeof value === "string" && pattern.test(value) && !exact(value);
  const problem = tooLarge ? `${word(language, "tooLarge")} ${formatNumber(language, Number.MAX_SAFE_INTEGER)}` : problems.get(path);
  return (
    <Labelled label={label} hint={hint} problem={problem}>
      {(control) => (
        <input
          type="text"
          inputMode={decimals ? "decimal" : "numeric"}
          dir="ltr"
          name={path}
          value={typed ?? (value === undefined || value === null ? "" : digits(language, String(value)))}
          onInput={(event) => {
            setTyped(event.currentTarget.value);
            const text = latinDigits(event.currentTarget.value.trim());
            set(setAt(entry, path, pattern.test(text) && exact(text) ? Number(text) : text));
          }}
          onBlur={() => setTyped(null)}
          {...control}
        />
      )}
    </Labelled>
  );
}

// An amount of money typed in the currency's units ("12.50"), kept in minor units (1250).
export function MoneyAt({ entry, set, problems, path, label, hint, language, exponent, code }: FieldProps & {
  language: Language;
  exponent: number;
  code: string;
}) {
  const value = getAt(entry, path);
  const [typed, setTyped] = useState<string | null>(null);
  const shown = typed ?? (typeof value === "number" ? moneyText(value, exponent) : String(value ?? ""));
  return (
    <Labelled label={`${label} (${code})`} hint={hint} problem={problems.get(path)}>
      {(control) => (
        <input
          type="text"
          inputMode="decimal"
          dir="ltr"
          name={path}
          value={digits(language, shown)}
          onInput={(event) => {
            const text = event.currentTarget.value;
            setTyped(text);
            const minor = parseMoney(text, exponent);
            set(setAt(entry, path, text.trim() === "" ? undefined : minor ?? text));
          }}
          onBlur={() => setTyped(null)}
          {...control}
        />
      )}
    </Labelled>
  );
}

export function SelectAt({ entry, set, problems, path, label, hint, options, absent = "", numbers = false }: FieldProps & {
  // The value written and its words; "" leaves the key out (the default).
  options: [string, string][];
  absent?: string; // What the document means without the key, when that is one of the options.
  numbers?: boolean; // The values are written as numbers (a campaign's id).
}) {
  const value = getAt(entry, path) ?? absent;
  // A list cannot wrap its choice: one worded as a sentence gets the row (a grid's column holds
  // about 22 characters).
  const wide = options.some(([, words]) => words.length > 20);
  return (
    <Labelled label={label} hint={hint} problem={problems.get(path)} wide={wide}>
      {(control) => (
        <select
          name={path}
          value={typeof value === "string" || typeof value === "number" ? String(value) : ""}
          onChange={(event) => {
            const chosen = event.currentTarget.value;
            set(setAt(entry, path, numbers && chosen !== "" ? Number(chosen) : chosen));
          }}
          {...control}
        >
          {options.map(([option, words]) => (
            <option key={option} value={option}>
              {words}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}

// A yes/no: false leaves the key out, which is the documents' default, unless `keepFalse` (a
// setting that is changed by naming it false).
export function CheckAt({ entry, set, problems, path, label, keepFalse = false }: FieldProps & { keepFalse?: boolean }) {
  const problem = useGroupProblem(problems.get(path));
  return (
    <div class="check">
      <label>
        <input
          type="checkbox"
          name={path}
          checked={getAt(entry, path) === true}
          onChange={(event) => set(setAt(entry, path, event.currentTarget.checked ? true : keepFalse ? false : undefined))}
          {...problem.control}
        />
        {label}
      </label>
      {problem.shown}
    </div>
  );
}

// A list of names (categories, SKUs, stores), typed separated by commas.
export function ListAt({ entry, set, problems, path, label, hint, numbers = false }: FieldProps & { numbers?: boolean }) {
  const value = getAt(entry, path);
  const [typed, setTyped] = useState<string | null>(null);
  const shown = typed ?? (Array.isArray(value) ? value.join(", ") : "");
  const problem = [...problems].find(([at]) => at === path || at.startsWith(`${path}[`))?.[1];
  return (
    <Labelled label={label} hint={hint} problem={problem}>
      {(control) => (
        <input
          type="text"
          dir="auto"
          name={path}
          value={shown}
          onInput={(event) => {
            const text = event.currentTarget.value;
            setTyped(text);
            const names = text
              .split(/[,،]/)
              .map((name) => name.trim())
              .filter(Boolean);
            // Whole numbers (in either script's digits) as numbers; anything else as typed, for the API to refuse.
            const listed = numbers
              ? names.map((name) => (/^\d+$/.test(latinDigits(name)) ? Number(latinDigits(name)) : name))
              : names;
            set(setAt(entry, path, listed));
          }}
          onBlur={() => setTyped(null)}
          {...control}
        />
      )}
    </Labelled>
  );
}

// Choices from a known list (the programme's tiers), as checkboxes.
export function ChoicesAt({ entry, set, problems, path, label, choices }: FieldProps & { choices: string[] }) {
  const value = getAt(entry, path);
  const chosen = Array.isArray(value) ? (value as Json[]) : [];
  const problem = useGroupProblem(problemOfList(problems, path));
  const toggle = (choice: string, on: boolean) =>
    set(setAt(entry, path, on ? [...chosen, choice] : chosen.filter((item) => item !== choice)));
  return (
    <fieldset class="choices">
      <legend>{label}</legend>
      {choices.map((choice) => (
        <label key={choice} class="inline">
          <input
            type="checkbox"
            checked={chosen.includes(choice)}
            onChange={(event) => toggle(choice, event.currentTarget.checked)}
            {...problem.control}
          />
          <bdi>{choice}</bdi>
        </label>
      ))}
      {problem.shown}
    </fieldset>
  );
}

// Multipliers by name ({"coffee": 2, "tea": 1.5}): a row per name. Names that are numbers (years
// of membership) are written in Latin digits whichever the page's are, and shown in the page's.
export function MultipliersAt({ entry, set, problems, path, label, language, nameLabel, valueLabel, add, remove, numericNames = false }: FieldProps & {
  language: Language;
  nameLabel: string;
  valueLabel: string;
  add: string;
  remove: string;
  numericNames?: boolean;
}) {
  const keyOf = (typed: string) => (numericNames ? latinDigits(typed.trim()) : typed.trim());
  const shownName = (name: string) => (numericNames ? digits(language, name) : name);
  const value = getAt(entry, path);
  const rows: [string, Json][] = Object.entries(typeof value === "object" && value && !Array.isArray(value) ? value : {});
  const write = (next: [string, Json][]) => set(setAt(entry, path, Object.fromEntries(next)));
  // A new row waits for its name before it becomes a key of the document.
  const [pending, setPending] = useState<[string, string] | null>(null);
  const problem = useGroupProblem(problems.get(path));
  return (
    <fieldset class="multipliers">
      <legend>{label}</legend>
      {rows.map(([name], index) => (
        <div class="row" key={index}>
          <Labelled label={nameLabel} problem={undefined}>
            {(control) => (
              <input
                {...control}
                {...problem.control}
                type="text"
                dir="auto"
                value={shownName(name)}
                onChange={(event) => {
                  const renamed = keyOf(event.currentTarget.value);
                  write(rows.map((row, at): [string, Json] => (at === index ? [renamed, row[1]] : row)).filter(([key]) => key !== ""));
                }}
              />
            )}
          </Labelled>
          {/* The row's value bound on its own: a name may hold a dot ("1.5L"), which a path would split. */}
          <NumberAt
            entry={{ times: rows[index]![1] }}
            set={(row) => write(rows.map((old, at): [string, Json] => (at === index ? [name, row.times ?? ""] : old)))}
            problems={new Map(problems.has(`${path}.${name}`) ? [["times", problems.get(`${path}.${name}`)!]] : [])}
            path="times"
            label={valueLabel}
            language={language}
            decimals
          />
          <button type="button" class="link" onClick={() => write(rows.filter((_, at) => at !== index))}>
            {remove} <bdi>{shownName(name)}</bdi>
          </button>
        </div>
      ))}
      {pending && (
        <div class="row">
          <Labelled label={nameLabel} problem={undefined}>
            {(control) => (
              <input
                {...control}
                {...problem.control}
                type="text"
                dir="auto"
                value={pending[0]}
                onInput={(event) => setPending([event.currentTarget.value, pending[1]])}
                onChange={(event) => {
                  const name = keyOf(event.currentTarget.value);
                  if (!name) return;
                  write([...rows, [name, 1]]);
                  setPending(null);
                }}
              />
            )}
          </Labelled>
        </div>
      )}
      {problem.shown}
      <button type="button" onClick={() => setPending(["", "1"])}>
        {add}
      </button>
    </fieldset>
  );
}

// One row of ItemsAt: a group of its own ("Item 2") whose fields are bound to the row as to a
// document of its own, with the problems the API found under the row's path ("items[1].id" as
// "id"); one about the row as a whole ("items[1]") is said under it.
function ItemRow({ row, set, problems, legend, removeLabel, onRemove, children }: {
  row: JsonObject;
  set: (row: JsonObject) => void;
  problems: Map<string, string>;
  legend: string;
  removeLabel: string | null; // null: the row may not be removed.
  onRemove: () => void;
  children: (row: Bound) => ComponentChildren;
}) {
  const problem = useGroupProblem(problems.get(""));
  return (
    <fieldset class="item-row" aria-describedby={problem.control["aria-describedby"]}>
      <legend>{legend}</legend>
      <div class="grid">{children({ entry: row, set, problems })}</div>
      {problem.shown}
      {removeLabel !== null && (
        <button type="button" class="link" onClick={onRemove}>
          {removeLabel}
        </button>
      )}
    </fieldset>
  );
}

// A list of objects (a collection's items), a group of fields per object, numbered in the page's
// digits; rows are added blank and removed by their own button, never below `min` nor above
// `max`. What the document holds at `path` that is not an object is kept as it is, and shown as a
// blank row. A problem with the list itself ("items") is said under it.
export function ItemsAt({ entry, set, problems, path, label, hint, language, rowLabel, add, remove, min = 0, max = Infinity, children }: FieldProps & {
  language: Language;
  rowLabel: string; // "Item": each row's legend, followed by its number.
  add: string;
  remove: string; // "Remove item", followed by the row's number.
  min?: number;
  max?: number;
  children: (row: Bound) => ComponentChildren;
}) {
  const value = getAt(entry, path);
  const rows: Json[] = Array.isArray(value) ? value : [];
  const write = (next: Json[]) => set(setAt(entry, path, next));
  const problem = useGroupProblem(problems.get(path));
  const hintId = useId();
  return (
    <fieldset class="items" aria-describedby={[hint ? hintId : "", problem.control["aria-describedby"] ?? ""].filter(Boolean).join(" ") || undefined}>
      <legend>{label}</legend>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {rows.map((row, index) => {
        const number = formatNumber(language, index + 1);
        return (
          <ItemRow
            key={index}
            row={isObject(row) ? row : {}}
            set={(next) => write(rows.map((old, at) => (at === index ? next : old)))}
            problems={problemsUnder(problems, `${path}[${index}]`)}
            legend={`${rowLabel} ${number}`}
            removeLabel={rows.length > min ? `${remove} ${number}` : null}
            onRemove={() => write(rows.filter((_, at) => at !== index))}
          >
            {children}
          </ItemRow>
        );
      })}
      {problem.shown}
      {rows.length < max && (
        <div class="actions">
          <button type="button" onClick={() => write([...rows, {}])}>
            {add}
          </button>
        </div>
      )}
    </fieldset>
  );
}

// The days as the documents name them, Monday first, as `dayNames` lists their words.
const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

// Weekdays to tick, shown in the week of the page's language: from Saturday in Persian (the Iranian
// week), from Monday in English; the document lists the chosen ones Monday first either way.
export function DaysAt({ entry, set, problems, path, label, dayNames, language }: FieldProps & {
  dayNames: string[];
  language: Language;
}) {
  const value = getAt(entry, path);
  const chosen = Array.isArray(value) ? value : [];
  const toggle = (day: string, on: boolean) =>
    set(setAt(entry, path, weekdays.filter((known) => (known === day ? on : chosen.includes(known)))));
  const problem = useGroupProblem(problemOfList(problems, path));
  const first = language === "fa" ? weekdays.indexOf("sat") : 0;
  const week = [...weekdays.slice(first), ...weekdays.slice(0, first)];
  return (
    <fieldset class="choices">
      <legend>{label}</legend>
      {week.map((day) => (
        <label key={day} class="inline">
          <input
            type="checkbox"
            checked={chosen.includes(day)}
            onChange={(event) => toggle(day, event.currentTarget.checked)}
            {...problem.control}
          />
          {dayNames[weekdays.indexOf(day)]}
        </label>
      ))}
      {problem.shown}
    </fieldset>
  );
}

// A time of day "HH:MM" (24:00 the end of the day): the browser's own input on an English page,
// hour and minute lists in Persian digits on a Persian one.
export function TimeAt({ entry, set, problems, path, label, hint, language }: FieldProps & { language: Language }) {
  const value = getAt(entry, path);
  const problem = useGroupProblem(problems.get(path));
  const hintId = useId();
  if (language === "fa") {
    const control: { "aria-describedby"?: string; "aria-invalid"?: boolean } = problem.control;
    const described = [hint ? hintId : "", control["aria-describedby"] ?? ""].filter(Boolean).join(" ");
    return (
      <div class="bound">
        <TimeLists
          language={language}
          label={label}
          name={path}
          value={typeof value === "string" ? value : ""}
          onChange={(next) => set(setAt(entry, path, next))}
          described={{ ...control, "aria-describedby": described || undefined }}
          untilMidnight
        />
        {hint && (
          <small class="hint" id={hintId}>
            {hint}
          </small>
        )}
        {problem.shown}
      </div>
    );
  }
  return (
    <Labelled label={label} hint={hint} problem={problems.get(path)}>
      {(control) => (
        <input
          type="time"
          dir="ltr"
          name={path}
          value={typeof value === "string" ? value : ""}
          onInput={(event) => set(setAt(entry, path, event.currentTarget.value))}
          {...control}
        />
      )}
    </Labelled>
  );
}

// A moment on the programme's clock: a date in the page's calendar and a time, written as an
// RFC 3339 instant with the zone's offset then.
export function InstantAt({ entry, set, problems, path, label, hint, language, timeZone, timeLabel, dateLabel }: FieldProps & {
  language: Language;
  timeZone: string;
  timeLabel: string;
  dateLabel: string;
}) {
  const value = getAt(entry, path);
  const known = typeof value === "string" && !Number.isNaN(Date.parse(value)) ? zonedParts(value, timeZone) : null;
  const [date, setDate] = useState(known?.date ?? "");
  const [time, setTime] = useState(known?.time ?? "");
  // A date alone is its midnight.
  const write = (nextDate: string, nextTime: string) => {
    setDate(nextDate);
    setTime(nextTime);
    const instant = nextDate === "" ? undefined : zonedInstant(nextDate, nextTime || "00:00", timeZone) ?? undefined;
    set(setAt(entry, path, instant));
  };
  const problem = useGroupProblem(problems.get(path));
  return (
    <fieldset class="instant">
      <legend>{label}</legend>
      <DateField
        language={language}
        label={dateLabel}
        name={path}
        value={date}
        onChange={(next) => write(next, time)}
        min="2000-01-01"
        max="2099-12-31"
        described={problem.control}
      />
      {language === "fa" ? (
        <TimeLists
          language={language}
          label={timeLabel}
          name={path}
          value={time}
          onChange={(next) => write(date, next)}
          described={problem.control}
        />
      ) : (
        <Labelled label={timeLabel}>
          {(control) => (
            <input
              {...control}
              {...problem.control}
              type="time"
              dir="ltr"
              value={time}
              onInput={(event) => write(date, event.currentTarget.value)}
            />
          )}
        </Labelled>
      )}
      {hint && <small class="hint">{hint}</small>}
      {problem.shown}
    </fieldset>
  );
}
