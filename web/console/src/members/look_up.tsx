// Finding a member by exact phone, email or card number (GET /v1/members): nothing is searched
// by part, the API matches through blind indexes. Used by the section's first screen, and to
// pick the other record of a merge.
import { Field } from "@patron/common/field";
import type { Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useId, useState } from "preact/hooks";

import { useAction } from "../action";
import * as api from "./api";
import { Refusal } from "./shared";
import { word, type MemberWordKey } from "./words";

const kinds: Record<api.LookUpBy, MemberWordKey> = { phone: "byPhone", email: "byEmail", card: "byCard" };

// `nested`: within a panel of its own, under the panel's heading.
export function LookUpForm({ language, title, onFound, testId, nested }: {
  language: Language;
  title: string;
  onFound: (member: api.Member) => void;
  testId: string;
  nested?: boolean;
}) {
  const [by, setBy] = useState<api.LookUpBy>("phone");
  const [value, setValue] = useState("");
  const { refusal, busy, submitting } = useAction();
  const titleId = useId();
  const t = (key: MemberWordKey) => word(language, key);
  const problems = fieldProblems(language, refusal);
  const labels = { phone: t("byPhone"), email: t("byEmail"), card: t("byCard") };
  const Heading = nested ? "h4" : "h3";

  const submit = submitting(async () => {
    const found = await api.lookUp(by, value);
    onFound(found.members[0]!);
  });
  return (
    <form class="look-up" role="search" aria-labelledby={titleId} onSubmit={submit} aria-busy={busy} noValidate
      data-testid={testId}>
      <Heading id={titleId}>{title}</Heading>
      <fieldset class="choices">
        <legend>{t("findBy")}</legend>
        {(Object.keys(kinds) as api.LookUpBy[]).map((kind) => (
          <label class="check" key={kind}>
            <input type="radio" name={`${titleId}-by`} value={kind} checked={by === kind} onChange={() => setBy(kind)} />
            {t(kinds[kind])}
          </label>
        ))}
      </fieldset>
      <Field label={t(kinds[by])} type={by === "email" ? "email" : "text"} value={value} set={setValue}
        autocomplete="off" dir="ltr" required problem={problems.get(by)} />
      <Refusal language={language} error={refusal} labels={labels} />
      <button type="submit" class="primary" disabled={busy}>
        {t("find")}
      </button>
    </form>
  );
}
