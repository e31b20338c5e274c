// Staff sign in with their email and password (the staff sessions of the API); a lock-out after
// wrong passwords says until when. `notice` says why the sign-in page is shown again, if it is.
import { Field } from "@patron/common/field";
import type { Language } from "@patron/common/i18n";
import { fieldProblems } from "@patron/common/problems";
import { useState } from "preact/hooks";

import * as api from "./api";
import { word, type WordKey } from "./i18n";
import { explain } from "./problems";

interface Props {
  language: Language;
  notice: WordKey | null;
  onSignedIn: (session: api.StaffSession) => void;
}

export function SignIn({ language, notice, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const t = (key: WordKey) => word(language, key);
  const problems = fieldProblems(language, refusal);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      onSignedIn(await api.signIn(email, password));
    } catch (error) {
      setRefusal(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    // The API checks the fields and says what is wrong in the page's language; the browser's own
    // checks would speak the browser's.
    <form class="card sign-in" onSubmit={submit} aria-busy={busy} noValidate>
      <h2>{t("staffSignIn")}</h2>
      {notice && !refusal && (
        <p class={notice === "sessionEnded" ? "message" : "notice"} role={notice === "sessionEnded" ? "alert" : "status"}>
          {t(notice)}
        </p>
      )}
      <Field label={t("email")} type="email" value={email} set={setEmail} autocomplete="username" dir="ltr"
        required problem={problems.get("email")} />
      <Field label={t("password")} type="password" value={password} set={setPassword}
        autocomplete="current-password" dir="ltr" required problem={problems.get("password")} />
      {refusal !== null && (
        <p class="message" role="alert">
          {explain(language, refusal, { email: t("email"), password: t("password") })}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t("signIn")}
      </button>
    </form>
  );
}
