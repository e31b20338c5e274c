// What the Fraud section's screens share: a sentence whose blanks hold more than words (a time, a
// store's code isolated from the sentence's direction), a pattern's name, a member by number, a
// signal's state, and a choice among a few options each with the sentence that says what it does
// (the policy's action, a reviewer's decision).
import { digits, type Language } from "@patron/common/i18n";
import { useId } from "preact/hooks";

import type { StaffRole } from "../api";
import { sections } from "../sections";
import { Link } from "../shell";
import * as api from "./api";
import { word } from "./words";

export { Filled } from "../filled";

// A pattern's name in words; one this page has no words for yet, as the API names it.
export function kindWords(language: Language, kind: string): string {
  return api.isOneOf(api.signalKinds, kind) ? word(language, `kind_${kind}`) : kind;
}

// A member by number, a link to their page for the roles that may open it (the members
// section's); a signal raised on no member's purchase has none.
export function MemberNumber({ language, id, role }: { language: Language; id: number | null; role: StaffRole }) {
  if (id === null) return <>—</>;
  const number = digits(language, String(id));
  const opens = sections.find((section) => section.path === "members")!.roles.includes(role);
  return opens ? <Link to={`/console/members/${id}`}>{number}</Link> : <>{number}</>;
}

// Where a signal's review stands, marked so that an open one stands out in a list.
export function SignalState({ language, state }: { language: Language; state: api.SignalState }) {
  return <span class={`signal-state ${state}`}>{word(language, `state_${state}`)}</span>;
}

export interface Option<T extends string> {
  value: T;
  name: string;
  why: string; // What choosing it does, in a sentence.
}

// Radio buttons under `legend`, named `name` as the API names the field; the API's problem with
// the choice is shown under them, describing each, which are marked invalid while it stands.
export function Choice<T extends string>({ legend, name, options, chosen, choose, problem }: {
  legend: string;
  name: string;
  options: Option<T>[];
  chosen: T | undefined;
  choose: (value: T) => void;
  problem?: string;
}) {
  const problemId = useId();
  return (
    <fieldset class="choice">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label class="check" key={option.value}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={chosen === option.value}
            onChange={() => choose(option.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
          />
          <span>
            <strong>{option.name}</strong>: {option.why}
          </span>
        </label>
      ))}
      {problem && (
        <span class="field-problem" id={problemId}>
          {problem}
        </span>
      )}
    </fieldset>
  );
}
