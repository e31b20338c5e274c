// The published versions of the rules, newest first: when each took effect, who published it and
// why; any two compared in words (what was added, removed or changed, field by field); a version
// opened shows its rules and what it changed against the one before; rolling back publishes an
// earlier version's document again as the next version (history is never rewritten).
import { formatNumber, formatTime } from "@patron/common/i18n";
import { useEffect, useRef, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { Link, type PageProps } from "../shell";
import * as api from "./api";
import { Changes } from "./changes";
import { Confirm } from "./confirm";
import { diffDocuments } from "./diff";
import { word, type WordKey } from "./words";

export function Versions({ language, program, shown }: PageProps & { shown?: string }) {
  const t = (key: WordKey) => word(language, key);
  const [list, setList] = useState<api.VersionSummary[] | null>(null);
  const [compared, setCompared] = useState<[number, number] | null>(null);
  const [documents, setDocuments] = useState<Map<number, api.Version>>(new Map());
  const { busy, refusal, setRefusal, status, act } = useAction();
  const [note, setNote] = useState("");
  const [asked, setAsked] = useState<number | null>(null); // The version a rollback to waits for a yes.
  // Which pair to compare is set by the version opened, a rollback and staff's own choice: only
  // the latest of them counts, whatever answer comes back later.
  const choice = useRef(0);
  const opened = shown !== undefined && /^\d+$/.test(shown) ? Number(shown) : null;

  const load = async () => {
    const answer = await api.versions();
    const newest = [...answer.versions].sort((a, b) => b.version - a.version);
    setList(newest);
    return newest;
  };
  const fetchVersion = async (number: number) => {
    const known = documents.get(number);
    if (known) return known;
    const fetched = await api.version(number);
    setDocuments((current) => new Map(current).set(number, fetched));
    return fetched;
  };
  useEffect(() => {
    const mine = ++choice.current;
    load()
      .then((newest) => {
        if (mine !== choice.current) return;
        // Opened: against the one before it; else the latest against the one before.
        const after = opened ?? newest[0]?.version;
        if (after !== undefined && after > 1) setCompared([after - 1, after]);
        if (opened !== null) fetchVersion(opened).catch(setRefusal);
      })
      .catch((error) => mine === choice.current && setRefusal(error));
  }, [shown]);
  useEffect(() => {
    if (compared) compared.forEach((number) => fetchVersion(number).catch(setRefusal));
  }, [compared]);

  const rollback = (number: number) =>
    act(
      async () => {
        const published = await api.rollback(number, note);
        const mine = ++choice.current;
        const newest = await load();
        if (newest[0] && mine === choice.current) setCompared([newest[0].version - 1, newest[0].version]);
        setNote("");
        return published;
      },
      (published) =>
        `${t("rolledBack")} ${formatNumber(language, number)} ${t("towards")} ${formatNumber(language, published.version)}`,
    );

  if (!list) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t("versions")}</h2>
        {refusal ? <p role="alert">{explain(language, refusal)}</p> : <p>{t("loading")}</p>}
      </section>
    );
  }
  const current = list[0]?.version;
  const before = compared ? documents.get(compared[0]) : undefined;
  const after = compared ? documents.get(compared[1]) : undefined;
  const choose = (which: 0 | 1) => (event: { currentTarget: HTMLSelectElement }) => {
    const next: [number, number] = compared ? [...compared] : [current ?? 1, current ?? 1];
    next[which] = Number(event.currentTarget.value);
    choice.current++;
    setCompared(next);
  };
  const versionWord = (number: number) => `${t("version")} ${formatNumber(language, number)}`;
  return (
    <>
      <section class="card" aria-labelledby="versions-title">
        <h2 id="versions-title">{t("versions")}</h2>
        <Outcome language={language} status={status} refusal={refusal} />
        {list.length === 0 ? (
          <p>{t("noVersions")}</p>
        ) : (
          <ListTable
            testId="versions"
            headings={[t("version"), t("effectiveFrom"), t("publishedBy"), t("note"), t("actionsColumn")]}
          >
                {list.map((summary) => (
                  <tr key={summary.version} aria-current={summary.version === opened ? "true" : undefined}>
                    <td>
                      <Link to={`/console/configure/versions/${summary.version}`}>{versionWord(summary.version)}</Link>
                      {summary.version === current && ` (${t("latest")})`}
                    </td>
                    <td>
                      {/* A version published to apply from the beginning carries the epoch. */}
                      {Date.parse(summary.effective_from) <= 0
                        ? t("fromTheStart")
                        : formatTime(language, summary.effective_from)}
                    </td>
                    <td>
                      <bdi>{summary.published_by}</bdi>
                    </td>
                    <td>
                      <bdi>{summary.note}</bdi>
                    </td>
                    <td>
                      {summary.version !== current && (
                        <button type="button" class="link" disabled={busy} onClick={() => setAsked(summary.version)}>
                          {t("rollBackTo")} {formatNumber(language, summary.version)}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
          </ListTable>
        )}
        {list.length > 1 && (
          <label class="bound">
            <span>{t("rollbackNote")}</span>
            <input type="text" dir="auto" value={note} onInput={(event) => setNote(event.currentTarget.value)} />
          </label>
        )}
        {asked !== null && (
          <Confirm
            title={t("rollBackTitle").replace("{n}", formatNumber(language, asked))}
            confirm={`${t("rollBackTo")} ${formatNumber(language, asked)}`}
            cancel={t("cancel")}
            onConfirm={() => rollback(asked)}
            onClose={() => setAsked(null)}
          >
            <p>
              {t("rollbackQuestion")} {formatNumber(language, (current ?? 0) + 1)}.
            </p>
          </Confirm>
        )}
      </section>
      {list.length > 0 && (
        <section class="card" aria-labelledby="compare-title">
          <h2 id="compare-title">{t("compare")}</h2>
          <div class="grid">
            {([0, 1] as const).map((which) => (
              <label class="bound" key={which}>
                <span>{t(which === 0 ? "compareFrom" : "compareTo")}</span>
                <select value={compared ? String(compared[which]) : ""} onChange={choose(which)}>
                  {!compared && <option value="">–</option>}
                  {list.map((summary) => (
                    <option key={summary.version} value={summary.version}>
                      {versionWord(summary.version)}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          {before && after ? (
            <Changes language={language} program={program} changes={diffDocuments(before.document, after.document)} />
          ) : (
            compared && <p>{t("loading")}</p>
          )}
          {opened !== null && documents.get(opened) && (
            <details>
              <summary>
                {t("jsonView")} — {versionWord(opened)}
              </summary>
              <pre dir="ltr" class="json">
                {JSON.stringify(documents.get(opened)!.document, null, 2)}
              </pre>
            </details>
          )}
        </section>
      )}
    </>
  );
}
