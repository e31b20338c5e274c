// What a screen's buttons share: one call to the API at a time (the buttons wait while it runs),
// then what it did said in a status line, or its refusal in words.
import type { Language } from "@patron/common/i18n";
import { useState } from "preact/hooks";

import { explain } from "./problems";

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  // Runs `what`; `done` (words, or words made from its answer) is said when it succeeded.
  const act = async <T,>(what: () => Promise<T>, done: string | ((answer: T) => string)) => {
    setBusy(true);
    setRefusal(null);
    setStatus(null);
    try {
      const answer = await what();
      setStatus(typeof done === "string" ? done : done(answer));
    } catch (error) {
      setRefusal(error);
    } finally {
      setBusy(false);
    }
  };
  return { busy, refusal, setRefusal, status, act };
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
