// What the members screens share: loading an answer, an action's refusal in words (the actions
// themselves run through the console's useAction), and a modal dialog for what needs confirming.
import { ApiError } from "@patron/common/api";
import type { Language } from "@patron/common/i18n";
import type { ComponentChildren } from "preact";
import { useEffect, useId, useRef, useState } from "preact/hooks";

import { explain } from "../problems";
import { word, type MemberWordKey } from "./words";

// The refusals a support desk meets, in words of their own; any other as the console explains it.
const codeWords: Record<string, MemberWordKey> = {
  MEMBER_NOT_FOUND: "noSuchMember",
  CARD_NOT_FOUND: "noSuchCard",
  CARD_NUMBER_INVALID: "cardNumberInvalid",
  CARD_BLOCKED: "cardIsBlocked",
  CARD_CLOSED: "cardIsClosed",
  POINTS_INSUFFICIENT: "pointsInsufficient",
  RECEIPT_NOT_FOUND: "receiptNotFound",
  ALREADY_CLAIMED: "alreadyClaimed",
  CLAIM_WINDOW_CLOSED: "claimWindowClosed",
};

export function refusal(language: Language, error: unknown, labels: Record<string, string> = {}): string {
  const own = error instanceof ApiError ? codeWords[error.problem.code] : undefined;
  return own ? word(language, own) : explain(language, error, labels);
}

// An answer loaded again whenever `deps` change; the last one stays shown while the next loads.
export function useAnswer<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    load().then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(null);
      },
      (refused) => current && setError(refused),
    );
    return () => {
      current = false;
    };
  }, deps);
  return { data, error };
}

// What went wrong, in words, as an alert (nothing while nothing did).
export function Refusal({ language, error, labels }: {
  language: Language;
  error: unknown;
  labels?: Record<string, string>;
}) {
  if (error === null) return null;
  return (
    <p class="message" role="alert">
      {refusal(language, error, labels)}
    </p>
  );
}

// A modal dialog, open while it is drawn: focus moves into it and stays there, Escape closes it.
export function Dialog({ title, onClose, children, wide }: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.open && dialog.close();
  }, []);
  return (
    <dialog ref={ref} class={wide ? "wide" : undefined} aria-labelledby={titleId} onClose={onClose}>
      <h3 id={titleId}>{title}</h3>
      {children}
    </dialog>
  );
}
