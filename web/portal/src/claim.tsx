// Claiming a receipt the member shopped without the card: its store, till, date, number and
// total, as printed on it; credited once.
import { useState } from "preact/hooks";

import * as api from "./api";
import { currencyDigits, formatNumber, type Language, parseMoney, word, type WordKey } from "./i18n";
import { explain } from "./problems";

interface Props {
  language: Language;
  currency: string;
}

const refusals: Record<string, WordKey> = {
  ALREADY_CLAIMED: "alreadyClaimed",
  CLAIM_WINDOW_CLOSED: "claimWindowClosed",
  RECEIPT_NOT_FOUND: "receiptNotFound",
  NOT_AVAILABLE: "claimNotAvailable",
  TOO_MANY_ATTEMPTS: "tooManyClaims",
};

export function Claim({ language, currency }: Props) {
  const [fields, setFields] = useState({ store: "", terminal: "", business_day: "", receipt: "", total: "" });
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const t = (key: WordKey) => word(language, key);
  const set = (name: keyof typeof fields) => (event: { currentTarget: HTMLInputElement }) =>
    setFields({ ...fields, [name]: event.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    const total = parseMoney(fields.total, currencyDigits(currency));
    if (total === null) {
      setMessage({ text: t("badAmount"), ok: false });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const answer = await api.claim({ ...fields, total });
      setMessage({ text: `${t("claimed")} ${formatNumber(language, answer.points.earned)} ${t("pointsUnit")}`, ok: true });
    } catch (error) {
      const code = error instanceof api.ApiError ? error.problem.code : "";
      setMessage({ text: refusals[code] ? t(refusals[code]) : explain(language, error), ok: false });
    } finally {
      setBusy(false);
    }
  };
  const field = (name: keyof typeof fields, label: WordKey, inputMode: "text" | "numeric" | "decimal" = "text") => (
    <label>
      {t(label)}
      <input value={fields[name]} onInput={set(name)} required dir="ltr" inputMode={inputMode} autocomplete="off" />
    </label>
  );
  return (
    <form class="card claim" onSubmit={submit} aria-busy={busy}>
      <h2>{t("claimTab")}</h2>
      <p>{t("claimIntro")}</p>
      {field("store", "store")}
      {field("terminal", "terminal")}
      {field("business_day", "businessDay", "numeric")}
      {field("receipt", "receipt")}
      {field("total", "total", "decimal")}
      {message && (
        <p class={message.ok ? "notice" : "message"} role={message.ok ? "status" : "alert"} data-testid="claim-result">
          {message.text}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t("claim")}
      </button>
    </form>
  );
}
