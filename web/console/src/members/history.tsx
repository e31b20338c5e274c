// The member's history (GET /v1/members/:id/history), newest first, each movement in the
// member's language as the API words it; one kind of it at a time if asked, paged by the API's
// cursor. Without a kind the first page also lists wallet, stamp and coupon changes, by time.
import { formatDate } from "@patron/common/i18n";
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import type { MemberProps } from "./member";
import { Refusal } from "./shared";
import { word, type MemberWordKey } from "./words";

const kinds: Record<api.HistoryKind | "", MemberWordKey> = {
  "": "historyAll",
  earned: "historyEarned",
  spent: "historySpent",
  expired: "historyExpired",
  returned: "historyReturned",
  adjusted: "historyAdjusted",
  cashback: "historyCashback",
  stamps: "historyStamps",
  coupons: "historyCoupons",
};

function byTime(page: api.HistoryPage): api.HistoryEntry[] {
  return [...page.entries, ...(page.cashback ?? []), ...(page.stamps ?? []), ...(page.coupons ?? [])].sort((a, b) =>
    b.at.localeCompare(a.at),
  );
}

export function History({ language, program, id, version }: MemberProps & { version: number }) {
  const [kind, setKind] = useState<api.HistoryKind | "">("");
  const [entries, setEntries] = useState<api.HistoryEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [refused, setRefused] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const t = (key: MemberWordKey) => word(language, key);

  const load = async (before: number | null) => {
    setLoading(true);
    setRefused(null);
    try {
      const page = await api.history(id, kind, before);
      const listed = kind ? page.entries : byTime(page);
      setEntries((shown) => (before === null ? listed : [...shown, ...listed]));
      setNext(page.next_before);
    } catch (error) {
      setRefused(error);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void load(null);
  }, [kind, version]);

  return (
    <section class="card wide" aria-labelledby="history-title" data-testid="history">
      <h3 id="history-title">{t("history")}</h3>
      <label class="inline">
        {t("show")}
        <select value={kind} onChange={(event) => setKind(event.currentTarget.value as api.HistoryKind | "")}>
          {(Object.keys(kinds) as (api.HistoryKind | "")[]).map((choice) => (
            <option key={choice} value={choice}>
              {t(kinds[choice])}
            </option>
          ))}
        </select>
      </label>
      <Refusal language={language} error={refused} />
      {!loading && entries.length === 0 && refused === null && <p class="muted">{t("none")}</p>}
      <ol class="entries" aria-busy={loading}>
        {entries.map((entry, index) => (
          <li key={`${entry.kind}-${entry.id ?? index}-${entry.at}`}>
            {/* In the member's language, whatever the page's: it takes its own direction. */}
            <p dir="auto">{entry.description}</p>
            <p class="muted">
              {formatDate(language, entry.at, program?.time_zone)}
              {(entry.store ?? entry.purchase?.store) && (
                <>
                  {` · ${t("store")} `}
                  <bdi>{entry.store ?? entry.purchase?.store}</bdi>
                </>
              )}
            </p>
          </li>
        ))}
      </ol>
      {next !== null && (
        <button type="button" onClick={() => load(next)} disabled={loading}>
          {t("older")}
        </button>
      )}
    </section>
  );
}
