// Sign in with phone or email and password; or, the first time (or after a forgotten
// password), ask for a one-time code and set a password with it.
import { useState } from "preact/hooks";

import { type Language } from "@patron/common/i18n";

import * as api from "./api";
import { word, type WordKey } from "./i18n";
import { explain } from "./problems";

interface FieldProps {
  label: string;
  value: string;
  set: (value: string) => void;
  autocomplete: string;
  type?: "text" | "password";
  inputMode?: "email" | "numeric";
  minLength?: number;
}

// A labelled, required input. Codes, phones, emails and passwords read left to right in both languages.
function Field({ label, value, set, type = "text", ...input }: FieldProps) {
  const shared = {
    ...input,
    dir: "ltr" as const,
    value,
    required: true,
    onInput: (event: { currentTarget: HTMLInputElement }) => set(event.currentTarget.value),
  };
  return (
    <label>
      {label}
      {type === "password" ? <input type="password" {...shared} /> : <input type="text" {...shared} />}
    </label>
  );
}

interface Props {
  language: Language;
  program: string;
  notice: WordKey | null;  // Why the member is asked to sign in again, if they are.
  onSignedIn: () => void;
}

export function SignIn({ language, program, notice, onSignedIn }: Props) {
  const [mode, setMode] = useState<"password" | "code">("password");
  const [club, setClub] = useState(program);
  const [contact, setContact] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const t = (key: WordKey) => word(language, key);
  const shown = message || (notice ? t(notice) : "");

  const attempt = async (work: () => Promise<void>, then?: () => void) => {
    setBusy(true);
    setMessage("");
    try {
      await work();
      then?.();
    } catch (error) {
      const labels = {
        program: t("program"),
        phone: t("phoneOrEmail"),
        email: t("phoneOrEmail"),
        password: mode === "password" ? t("password") : t("newPassword"),
        code: t("code"),
      };
      setMessage(explain(language, error, labels));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (mode === "password") {
      void attempt(() => api.signIn(club, api.contactOf(contact), password), onSignedIn);
    } else {
      void attempt(() => api.setPassword(club, api.contactOf(contact), code, password), onSignedIn);
    }
  };
  const sendCode = () =>
    attempt(
      () => api.sendCode(club, api.contactOf(contact)),
      () => setMessage(t("codeSent")),
    );

  return (
    <form class="card sign-in" onSubmit={submit} aria-busy={busy}>
      <h2>{mode === "password" ? t("signIn") : t("firstTime")}</h2>
      {!program && <Field label={t("program")} value={club} set={setClub} autocomplete="organization" />}
      <Field label={t("phoneOrEmail")} value={contact} set={setContact} autocomplete="username" inputMode="email" />
      {mode === "code" && (
        <>
          <button type="button" onClick={sendCode} disabled={busy || !contact}>
            {t("sendCode")}
          </button>
          <Field label={t("code")} value={code} set={setCode} autocomplete="one-time-code" inputMode="numeric" />
        </>
      )}
      <Field
        label={mode === "password" ? t("password") : t("newPassword")}
        value={password}
        set={setPassword}
        type="password"
        minLength={mode === "code" ? 8 : undefined}
        autocomplete={mode === "password" ? "current-password" : "new-password"}
      />
      {shown && (
        <p class="message" role="alert">
          {shown}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {mode === "password" ? t("signIn") : t("setPassword")}
      </button>
      <button type="button" class="link" onClick={() => setMode(mode === "password" ? "code" : "password")}>
        {mode === "password" ? t("firstTime") : t("back")}
      </button>
    </form>
  );
}
