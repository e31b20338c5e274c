// The draft of the programme's rules: its earn rules and bonuses with what each gives, each opened
// in its form; the cashback rules and stamp cards it holds; a JSON view for experts that saves the
// whole document back; what the draft changes against the version it was based on; publishing it
// (now or from a later moment) and discarding it.
import { type Currency, formatMoney, formatNumber, formatTime, type Language } from "@patron/common/i18n";
import { ApiError } from "@patron/common/api";
import { fieldProblems } from "@patron/common/problems";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { ListTable } from "../list_table";
import { explain } from "../problems";
import { Link, type PageProps } from "../shell";
import * as api from "./api";
import { Changes } from "./changes";
import { diffDocuments } from "./diff";
import { type RuleListName } from "./diff";
import { type JsonObject } from "./doc";
import { listOf } from "./draft_entry";
import { InstantAt, TextAt } from "./fields";
import { word, type WordKey } from "./words";

// What a rule gives, in a few words: "1 point per 10,000" or "500 points".
function gives(language: Language, rule: JsonObject, currency: Currency): string {
  const points = typeof rule.points === "number" ? formatNumber(language, rule.points) : "?";
  const unit = word(language, rule.points === 1 ? "pointWord" : "pointsWord");
  if (rule.kind === "bonus") return `${points} ${unit}`;
  const per = formatMoney(language, typeof rule.per_amount === "number" ? rule.per_amount : 1, currency);
  return `${points} ${unit} ${word(language, "perAmountWord")} ${per}`;
}


export function DraftRules({ language, program }: PageProps) {
  const t = (key: WordKey) => word(language, key);
  const [draft, setDraft] = useState<api.Draft | null>(null);
  const [base, setBase] = useState<JsonObject | null>(null);
  const { busy, refusal, setRefusal, status, act: run } = useAction();
  const [json, setJson] = useState<string | null>(null);
  // The draft the JSON view's text was made from: saving it replaces only that draft.
  const [jsonRead, setJsonRead] = useState<api.Draft | null>(null);
  const [publishing, setPublishing] = useState<JsonObject>({});
  // Each publish starts the moment's field afresh (it keeps what was typed in itself).
  const [published, setPublished] = useState(0);

  const load = async () => {
    const current = await api.draft();
    setDraft(current);
    setBase(current.based_on_version ? (await api.version(current.based_on_version)).document : { rules: [] });
  };
  useEffect(() => {
    load().catch(setRefusal);
  }, []);

  // Each change is followed by the draft as it is now, and so is a refusal because someone else
  // changed it since it was read here (the JSON typed is kept).
  const act = (what: () => Promise<unknown>, done: WordKey) =>
    run(async () => {
      try {
        await what();
      } catch (error) {
        if (error instanceof ApiError && error.problem.code === "DRAFT_CHANGED") await load();
        throw error;
      }
      await load();
    }, t(done));
  const remove = (list: RuleListName, id: string) => act(() => api.removeDraftEntry(list, id), "removed");
  const saveJson = () =>
    act(async () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json ?? "");
      } catch {
        throw new SyntaxError("json");
      }
      await api.saveDraft(parsed as JsonObject, jsonRead ?? draft!);
      setJson(null);
    }, "saved");
  const publish = () =>
    act(async () => {
      const effective = typeof publishing.effective_from === "string" ? publishing.effective_from : null;
      const note = typeof publishing.note === "string" ? publishing.note : "";
      await api.publish(effective, note, draft!);
      setPublishing({});
      setPublished((count) => count + 1);
    }, "draftPublished");

  if (!draft || !base) {
    return (
      <section class="card" aria-busy={!refusal}>
        <h2>{t("draftRules")}</h2>
        {refusal ? <p role="alert">{explain(language, refusal)}</p> : <p>{t("loading")}</p>}
      </section>
    );
  }
  const changes = diffDocuments(base, draft.document);
  const problems = fieldProblems(language, refusal);
  const zone = program.time_zone;
  const currency: Currency = { code: program.currency, exponent: program.currency_exponent };
  // The draft's three lists: where each entry is edited, how it is added, what it gives in words.
  const lists: { list: RuleListName; title: WordKey; editAt: string; addLinks: [string, WordKey][]; summary: (entry: JsonObject) => string }[] = [
    {
      list: "rules",
      title: "earnRules",
      editAt: "rules",
      addLinks: [
        ["new-rule/earn", "newEarn"],
        ["new-rule/bonus", "newBonus"],
      ],
      summary: (rule) => `${t(rule.kind === "bonus" ? "bonus" : "earn")}: ${gives(language, rule, currency)}`,
    },
    {
      list: "cashback",
      title: "cashbackRules",
      editAt: "cashback",
      addLinks: [["new-cashback", "newCashback"]],
      summary: (rule) =>
        `${formatNumber(language, typeof rule.percent === "number" ? rule.percent : 0)}${language === "fa" ? "٪" : "%"}`,
    },
    {
      list: "stamp_cards",
      title: "stampCards",
      editAt: "stamp-cards",
      addLinks: [["new-stamp-card", "newStampCard"]],
      // A collection has no goal: it is full with all its items.
      summary: (card) =>
        card.basis === "collection"
          ? `${t("collectionOf")} ${formatNumber(language, Array.isArray(card.items) ? card.items.length : 0)} ${t("itemsWord")}`
          : `${formatNumber(language, typeof card.goal === "number" ? card.goal : 10)} ${t("stampsWord")}`,
    },
  ];
  const refused = refusal instanceof SyntaxError ? t("notJson") : refusal ? explain(language, refusal) : null;
  return (
    <>
      <section class="card" aria-labelledby="draft-title">
        <h2 id="draft-title">{t("draftRules")}</h2>
        <p class="muted">
          {draft.based_on_version
            ? `${t("basedOn")} ${formatNumber(language, draft.based_on_version)}`
            : t("noVersionYet")}
          {draft.updated_at && draft.updated_by && (
            <>
              {" · "}
              {t("savedBy")} <bdi>{draft.updated_by}</bdi> {formatTime(language, draft.updated_at)}
            </>
          )}
        </p>
        <Outcome language={language} status={status} refusal={refusal} refused={refused} />
        {lists.map(({ list, title, addLinks, summary, editAt }) => {
          const entries = listOf(draft.document, list);
          return (
            <div key={list} class="draft-list">
              <h3>{t(title)}</h3>
              {entries.length === 0 ? (
                <p>{t("noEntries")}</p>
              ) : (
                <ListTable testId={list} headings={[t("ruleName"), t("gives"), t("actionsColumn")]}>
                  {entries.map((entry) => {
                    const id = String(entry.id ?? "");
                    const name = String(entry.name ?? id);
                    return (
                      <tr key={id}>
                        <td>
                          <bdi>{name}</bdi>
                          <br />
                          <code class="muted">{id}</code>
                        </td>
                        <td>{summary(entry)}</td>
                        <td>
                          <Link to={`/console/configure/${editAt}/${encodeURIComponent(id)}`}>
                            {t("edit")} <span class="visually-hidden">{name}</span>
                          </Link>{" "}
                          <button type="button" class="link" disabled={busy} onClick={() => remove(list, id)}>
                            {t("remove")} <span class="visually-hidden">{name}</span>
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </ListTable>
              )}
              <div class="actions">
                {addLinks.map(([to, words]) => (
                  <Link key={to} to={`/console/configure/${to}`}>
                    {t(words)}
                  </Link>
                ))}
              </div>
            </div>
          );
        })}
        <details
          open={json !== null}
          onToggle={(event) => {
            const open = (event.currentTarget as HTMLDetailsElement).open;
            setJson(open ? JSON.stringify(draft.document, null, 2) : null);
            setJsonRead(open ? draft : null);
          }}
        >
          <summary>{t("jsonView")}</summary>
          {json !== null && (
            <>
              <label class="bound">
                <span>{t("jsonDocument")}</span>
                <textarea dir="ltr" spellcheck={false} value={json} onInput={(event) => setJson(event.currentTarget.value)} />
              </label>
              {problems.size > 0 && (
                <ul class="field-problem">
                  {[...problems].map(([path, message]) => (
                    <li key={path}>
                      <code>{path}</code>: {message}
                    </li>
                  ))}
                </ul>
              )}
              <div class="actions">
                <button type="button" class="primary" disabled={busy} onClick={saveJson}>
                  {t("saveJson")}
                </button>
              </div>
            </>
          )}
        </details>
      </section>
      <section class="card" aria-labelledby="publish-title">
        <h2 id="publish-title">{t("publishTitle")}</h2>
        <p>
          {draft.based_on_version
            ? `${t("changesAgainst")} ${formatNumber(language, draft.based_on_version)}:`
            : `${t("changesAgainstNothing")}:`}
        </p>
        <Changes language={language} program={program} changes={changes} />
        <p>
          <Link to="/console/configure/preview">{t("previewFirst")}</Link>
        </p>
        <div class="grid">
          <InstantAt
            key={published}
            entry={publishing}
            set={setPublishing}
            problems={problems}
            path="effective_from"
            label={t("effectiveFrom")}
            language={language}
            timeZone={zone}
            timeLabel={t("time")}
              dateLabel={t("date")}
            hint={t("effectiveHint")}
          />
          <TextAt entry={publishing} set={setPublishing} problems={problems} path="note" label={t("note")} />
        </div>
        <div class="actions">
          <button type="button" class="primary" disabled={busy || changes.length === 0} onClick={publish}>
            {t("publish")}
          </button>
          <button
            type="button"
            disabled={busy || !draft.updated_at}
            onClick={() => act(api.discardDraft, "discarded")}
          >
            {t("discard")}
          </button>
        </div>
      </section>
    </>
  );
}
