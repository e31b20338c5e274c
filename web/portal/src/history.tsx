// Every movement of the member's points, wallet, stamps and coupons, and the prize draw entries
// she was given, newest first, in plain words from the server in the member's language; filtered
// by kind and paged.
import { useEffect, useState } from "preact/hooks";

import { formatDate, type Language } from "@patron/common/i18n";

import * as api from "./api";
import { word, type WordKey } from "./i18n";
import { explain } from "./problems";

const filterWords: Record<api.HistoryKind | "", WordKey> = {
  "": "filterAll",
  earned: "earned",
  spent: "spent",
  expired: "expired",
  returned: "returned",
  adjusted: "adjusted",
  cashback: "cashbackKind",
  stamps: "stamps",
  coupons: "couponsKind",
  draws: "drawsKind",
};

// A line of the history: a points or wallet movement, a stamp or coupon change, or a draw's entries.
type Listed = api.HistoryLine;

interface Props {
  language: Language;
  timeZone?: string;
}

export function History({ language, timeZone }: Props) {
  const [kind, setKind] = useState<api.HistoryKind | "">("");
  const [entries, setEntries] = useState<Listed[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [message, setMessage] = useState("");
  const [loading, setLoading] = useState(true);
  const t = (key: WordKey) => word(language, key);

  const load = async (chosen: api.HistoryKind | "", before: number | null) => {
    setLoading(true);
    setMessage("");
    try {
      const page = await api.history(chosen, before);
      // Without a kind, the first page also lists wallet, stamp and coupon changes and draw entries:
      // all by time.
      const listed = chosen ? page.entries : api.historyByTime(page);
      setEntries((shown) => (before ? [...shown, ...listed] : listed));
      setNext(page.next_before);
    } catch (error) {
      setMessage(explain(language, error));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(kind, null);
  }, [kind]);

  return (
    <section class="card history" aria-labelledby="history-title">
      <h2 id="history-title">{t("historyTab")}</h2>
      <div class="filters" role="group" aria-label={t("historyTab")}>
        {(Object.keys(filterWords) as (api.HistoryKind | "")[]).map((choice) => (
          <button
            type="button"
            key={choice || "all"}
            class={choice === kind ? "chip chosen" : "chip"}
            aria-pressed={choice === kind}
            onClick={() => setKind(choice)}
          >
            {t(filterWords[choice])}
          </button>
        ))}
      </div>
      {message && (
        <p class="message" role="alert">
          {message}
        </p>
      )}
      {!loading && entries.length === 0 && !message && <p class="muted">{t("nothingYet")}</p>}
      <ol class="entries" data-testid="history">
        {entries.map((entry, index) => (
          <li key={`${"draw_id" in entry ? "draw" : entry.kind}-${entry.id ?? index}-${entry.at}`}>
            <p>{entry.description}</p>
            {/* The description names the store already, as its members know it. */}
            <p class="muted">{formatDate(language, entry.at, timeZone)}</p>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" onClick={() => load(kind, next)} disabled={loading}>
          {t("more")}
        </button>
      )}
    </section>
  );
}
