// What a screen's buttons share: one call to the API at a time (the buttons wait while it runs),
// then what it did said in a status line, or its refusal in words.
import type { Language } from "@patron/common/i18n";
import { useRef, useState } from "preact/hooks";

import { explain } from "./problems";

// Whether no other call of the same action started since this one did.
export type IsLatest = () => boolean;

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  // Calls can overlap (a list reloaded while its next page loads, a filter changed twice): only
  // the latest one's outcome is shown, and `what` is told whether it is still the latest, so an
  // answer that arrives after a newer call started does not overwrite the newer state.
  const calls = useRef(0);
  // Runs `what`; `done` (words, or words made from its answer) is said when it succeeded;
  // without `done` nothing is said.
  const act = async <T,>(what: (isLatest: IsLatest) => Promise<T>, done?: string | ((answer: T) => string)) => {
    const call = ++calls.current;
    const isLatest = () => call === calls.current;
    setBusy(true);
    setRefusal(null);
    setStatus(null);
    try {
      const answer = await what(isLatest);
      if (isLatest() && done !== undefined) setStatus(typeof done === "string" ? done : done(answer));
    } catch (error) {
      if (isLatest()) setRefusal(error);
    } finally {
      if (isLatest()) setBusy(false);
    }
  };
  // `act` as a form's submission.
  const submitting =
    <T,>(what: (isLatest: IsLatest) => Promise<T>, done?: string | ((answer: T) => string)) =>
    (event: Event) => {
      event.preventDefault();
      void act(what, done);
    };
  return { busy, refusal, setRefusal, status, act, submitting };
}

export function Outcome({ language, status, refusal, refused }: {
  language: Language;
  status: string | null;
  refusal: unknown;
  refused?: string | null; // The refusal in other words than explain's, when the screen has them.
}) {
  return (
    <>
      {status && (
        <p class="status" role="status">
          {status}
        </p>
      )}
      {refusal !== null && (
        <p class="message" role="alert">
          {refused ?? explain(language, refusal)}
        </p>
      )}
    </>
  );
}
