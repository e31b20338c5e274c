// The member's history (GET /v1/members/:id/history), newest first, each movement in the
// member's language as the API words it; one kind of it at a time if asked, paged by the API's
// cursor. Without a kind the first page also lists wallet, stamp and coupon changes and prize
// draw entries, by time.
import { formatDate } from "@patron/common/i18n";
import { useEffect, useState } from "preact/hooks";

import { useAction } from "../action";
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
  draws: "historyDraws",
};

// A line of the history: a points or wallet movement, a stamp or coupon change, or a draw's entries.
type Listed = api.HistoryLine;

export function History({ language, program, id, version }: MemberProps & { version: number }) {
  const [kind, setKind] = useState<api.HistoryKind | "">("");
  // Null until the first page is in.
  const [entries, setEntries] = useState<Listed[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const { busy, refusal, act } = useAction();
  const t = (key: MemberWordKey) => word(language, key);

  // A page answered after another load started (another kind chosen, the list reloaded after a
  // change) is dropped: it belongs to a list no longer shown.
  const load = (before: number | null) =>
    act(async (isLatest) => {
      const page = await api.history(id, kind, before);
      if (!isLatest()) return;
      const listed = kind ? page.entries : api.historyByTime(page);
      setEntries((shown) => (before === null ? listed : [...(shown ?? []), ...listed]));
      setNext(page.next_before);
    });
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
      <Refusal language={language} error={refusal} />
      {!busy && entries?.length === 0 && refusal === null && <p class="muted">{t("none")}</p>}
      <ol class="entries" aria-busy={busy}>
        {(entries ?? []).map((entry, index) => (
          <li key={`${"draw_id" in entry ? "draw" : entry.kind}-${entry.id ?? index}-${entry.at}`}>
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
        <button type="button" onClick={() => load(next)} disabled={busy}>
          {t("older")}
        </button>
      )}
    </section>
  );
}
