// One entry of the draft's lists (an earn rule, a cashback rule, a stamp card) in a form: the
// draft is read, the entry found by its id (or a new one begun), and saving puts it into the
// whole draft, which the API checks whole; the problems it finds about the entry are shown beside
// their fields, the rest of the refusal in words.
import type { Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

import { Outcome, useAction } from "../action";
import { explain } from "../problems";
import { go, Link } from "../shell";
import * as api from "./api";
import type { RuleListName } from "./diff";
import { isObject, type JsonObject, problemsUnder } from "./doc";
import { fieldLabel, word } from "./words";

export function listOf(document: JsonObject, list: string): JsonObject[] {
  const entries = document[list];
  return Array.isArray(entries) ? entries.filter(isObject) : [];
}

export function useDraftEntry(list: RuleListName, id: string | null, fresh: () => JsonObject) {
  const [draft, setDraft] = useState<api.Draft | null>(null);
  const [entry, setEntry] = useState<JsonObject | null>(null);
  const action = useAction();
  useEffect(() => {
    api.draft().then((current) => {
      setDraft(current);
      const found = id === null ? undefined : listOf(current.document, list).find((known) => known.id === id);
      setEntry(found ?? (id === null ? fresh() : null));
    }, action.setRefusal);
  }, [id]);
  const entries = draft ? listOf(draft.document, list) : [];
  // Where the entry stood in the draft last sent, which the API's problems name it by.
  const [sentAt, setSentAt] = useState<number | null>(null);
  const index = sentAt ?? (id === null ? entries.length : entries.findIndex((known) => known.id === id));
  // Saves the entry into the draft as it is now (read again, so that what others saved since this
  // form opened is kept; the entry replaces its namesake or comes last), with whatever else
  // `finish` changes in it, then goes back.
  const save = (finish: (document: JsonObject) => JsonObject = (document) => document) =>
    action.act(async () => {
      const read = await api.draft();
      const current = read.document;
      const next = listOf(current, list);
      const at = next.findIndex((known) => known.id === (id ?? entry!.id));
      if (at >= 0) next[at] = entry!;
      else next.push(entry!);
      setSentAt(at >= 0 ? at : next.length - 1);
      await api.saveDraft(finish({ ...current, [list]: next }), read);
      go("/console/configure/rules");
    }, "");
  return { draft, entry, setEntry, index, save, ...action };
}

export function EntryForm({ language, state, list, title, finish, children }: {
  language: Language;
  state: ReturnType<typeof useDraftEntry>;
  list: RuleListName;
  title: string;
  finish?: (document: JsonObject) => JsonObject;
  children: (problems: Map<string, string>) => ComponentChildren;
}) {
  const t = (key: Parameters<typeof word>[1]) => word(language, key);
  const { draft, entry, index, busy, refusal, status } = state;
  if (!draft || !entry) {
    const missing = draft !== null || refusal !== null;
    return (
      <section class={missing ? "card refusal" : "card"} role={missing ? "alert" : undefined} aria-busy={!missing}>
        <h2>{missing ? t("noSuchRule") : t("loading")}</h2>
        {refusal !== null && <p>{explain(language, refusal)}</p>}
        {missing && <Link to="/console/configure/rules">{t("backToDraft")}</Link>}
      </section>
    );
  }
  const problems = problemsUnder(fieldProblems(language, refusal), `${list}[${index}]`);
  // A refusal about the entry names its fields by the form's labels; one about the rest of the
  // draft by its JSON path.
  const labels = Object.fromEntries([...problems.keys()].map((path) => [`${list}[${index}].${path}`, fieldLabel(language, path)]));
  const submit = (event: Event) => {
    event.preventDefault();
    state.save(finish);
  };
  return (
    <section class="card" aria-labelledby="entry-title">
      <h2 id="entry-title">
        <bdi>{title}</bdi>
      </h2>
      <form class="rule" onSubmit={submit} noValidate>
        {children(problems)}
        <Outcome language={language} status={status || null} refusal={refusal} refused={refusal ? explain(language, refusal, labels) : null} />
        {problems.get("") && <p class="field-problem">{problems.get("")}</p>}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t("saveToDraft")}
          </button>
          <Link to="/console/configure/rules">{t("cancel")}</Link>
        </div>
      </form>
    </section>
  );
}
