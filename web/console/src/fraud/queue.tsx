// The review queue (GET /v1/fraud/signals): signals newest first, the open ones unless another
// state is chosen, of one pattern if asked, a page at a time ("Older signals" follows the API's
// next_before with the same filters). Each row says which pattern in words, whose (a link to the
// member's page for the roles that may open it), when on the programme's clock, what the policy
// did and where the review stands; its number opens the signal's page. The filters are kept in
// the page's address, so a reload, a link or coming back from a signal shows the same rows.
import { digits } from "@patron/common/i18n";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { Labelled } from "../configure/fields";
import { ListTable } from "../list_table";
import { Link, type PageProps } from "../shell";
import { When } from "../when";
import * as api from "./api";
import { kindWords, MemberNumber, SignalState } from "./shared";
import { word, type WordKey } from "./words";

export const address = "/console/fraud";

interface Filters {
  state: api.SignalState | "all";
  kind: api.SignalKind | "";
}

function filtersOfAddress(): Filters {
  const query = new URLSearchParams(location.search);
  const state = query.get("state");
  const kind = query.get("kind");
  return {
    state: state === "all" || api.isOneOf(api.signalStates, state) ? state : "open",
    kind: api.isOneOf(api.signalKinds, kind) ? kind : "",
  };
}

// The open signals of any pattern are the queue's own address; other filters are named in it.
function addressOf(filters: Filters): string {
  const query = new URLSearchParams();
  if (filters.state !== "open") query.set("state", filters.state);
  if (filters.kind) query.set("kind", filters.kind);
  const text = query.toString();
  return text ? `${address}?${text}` : address;
}

export function Queue({ language, session, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [filters, setFilters] = useState<Filters>(filtersOfAddress);
  // Null until the first page is in.
  const [signals, setSignals] = useState<api.Signal[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const { busy, refusal, act } = useAction();

  // A page answered after the filters changed again is dropped: it belongs to rows no longer asked for.
  const load = (before: number | null) =>
    act(async (isLatest) => {
      const asked = { state: filters.state === "all" ? null : filters.state, kind: filters.kind || null };
      const page = await api.signals(asked, before);
      if (!isLatest()) return;
      setSignals((shown) => (before === null ? page.signals : [...(shown ?? []), ...page.signals]));
      setNext(page.next_before);
    });
  useEffect(() => {
    history.replaceState(null, "", addressOf(filters));
    void load(null);
  }, [filters]);

  return (
    <section class="card" aria-labelledby="queue-title">
      <h2 id="queue-title">{t("queueTitle")}</h2>
      <div class="signal-filters" role="search" aria-label={t("filters")}>
        <Labelled label={t("state")}>
          {(control) => (
            <select
              name="state"
              value={filters.state}
              onChange={(event) => setFilters({ ...filters, state: event.currentTarget.value as Filters["state"] })}
              {...control}
            >
              {api.signalStates.map((state) => (
                <option key={state} value={state}>
                  {t(`state_${state}`)}
                </option>
              ))}
              <option value="all">{t("anyState")}</option>
            </select>
          )}
        </Labelled>
        <Labelled label={t("pattern")}>
          {(control) => (
            <select
              name="kind"
              value={filters.kind}
              onChange={(event) => setFilters({ ...filters, kind: event.currentTarget.value as Filters["kind"] })}
              {...control}
            >
              <option value="">{t("anyKind")}</option>
              {api.signalKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`kind_${kind}`)}
                </option>
              ))}
            </select>
          )}
        </Labelled>
      </div>
      <Outcome language={language} status={null} refusal={refusal} />
      {signals === null && refusal === null && <p>{t("loading")}</p>}
      {signals?.length === 0 && <p>{t("noSignals")}</p>}
      {signals && signals.length > 0 && (
        <>
          <p class="hint">
            {t("timesIn")} <bdi>{program.time_zone}</bdi>
          </p>
          <ListTable
            testId="signals"
            headings={[t("signal"), t("pattern"), t("member"), t("raised"), t("actionTaken"), t("state")]}
          >
            {signals.map((signal) => (
              <tr key={signal.id} data-state={signal.state}>
                <td>
                  <Link to={`${address}/${signal.id}`}>{digits(language, String(signal.id))}</Link>
                </td>
                <td class="pattern">{kindWords(language, signal.kind)}</td>
                <td>
                  <MemberNumber language={language} id={signal.member_id} role={session.role} />
                </td>
                <td class="when">
                  <When language={language} at={signal.raised_at} timeZone={program.time_zone} />
                </td>
                <td>{t(`taken_${signal.action}`)}</td>
                <td>
                  <SignalState language={language} state={signal.state} />
                </td>
              </tr>
            ))}
          </ListTable>
        </>
      )}
      {next !== null && (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => load(next)}>
            {t("olderSignals")}
          </button>
        </div>
      )}
    </section>
  );
}
