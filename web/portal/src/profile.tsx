// The member's own account: profile and consents (with when each was given), password, a copy
// of all their data, and deleting the account after a confirmation.
import { useState } from "preact/hooks";

import { DateField, todayIso } from "@patron/common/date_field";
import { formatDate, type Language } from "@patron/common/i18n";

import * as api from "./api";
import { word, type WordKey } from "./i18n";
import { useMemberData } from "./home";
import { explain } from "./problems";

interface Props {
  language: Language;
  onLanguage: (language: Language) => void;
  onSignedOut: () => void;
}

type Notice = { text: string; ok: boolean } | null;

function Said({ notice }: { notice: Notice }) {
  if (!notice) return null;
  return (
    <p class={notice.ok ? "notice" : "message"} role={notice.ok ? "status" : "alert"}>
      {notice.text}
    </p>
  );
}

// A password field: the page never shows it, the browser may fill it.
function Secret({ label, value, set, fresh = false }: {
  label: string;
  value: string;
  set: (value: string) => void;
  fresh?: boolean;
}) {
  return (
    <label>
      {label}
      <input type="password" value={value} onInput={(e) => set(e.currentTarget.value)} required dir="ltr"
        minLength={fresh ? 8 : undefined} autocomplete={fresh ? "new-password" : "current-password"} />
    </label>
  );
}

// The tz database's zones the browser knows (a short list where it cannot say), with the member's
// stored zone and this device's among them even where the browser does not list them.
const someZones = [
  "Asia/Tehran",
  "Asia/Dubai",
  "Europe/Istanbul",
  "Europe/London",
  "Europe/Berlin",
  "America/New_York",
  "Australia/Sydney",
  "UTC",
];

function zonesWith(...more: (string | null)[]): string[] {
  let known: string[];
  try {
    known = Intl.supportedValuesOf("timeZone");
  } catch {
    known = someZones;
  }
  const extra = more.filter((zone): zone is string => !!zone && !known.includes(zone));
  return extra.length ? [...known, ...extra].sort() : known;
}

// The zone this device's clock keeps, if the browser says.
function deviceZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

function Details({ language, me, onSaved }: { language: Language; me: api.Me; onSaved: (me: api.Me) => void }) {
  const t = (key: WordKey) => word(language, key);
  const [form, setForm] = useState({
    full_name: me.full_name ?? "",
    email: me.email ?? "",
    birth_date: me.birth_date ?? "",
    city: me.city ?? "",
    time_zone: me.time_zone ?? "",
    marketing_sms: me.consents.marketing_sms.granted,
    marketing_email: me.consents.marketing_email.granted,
  });
  const [notice, setNotice] = useState<Notice>(null);
  const [device] = useState(deviceZone);
  const [zones] = useState(() => zonesWith(me.time_zone, device));
  // Moving the email (where a new password's code goes) takes the password too.
  const [password, setPassword] = useState("");
  const emailChanged = form.email !== (me.email ?? "");
  const text = (name: "full_name" | "email" | "birth_date" | "city") => (event: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [name]: event.currentTarget.value });
  const flag = (name: "marketing_sms" | "marketing_email") => (event: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [name]: event.currentTarget.checked });
  const consentSince = (consent: api.Consent) =>
    consent.granted && consent.at ? ` (${t("since")} ${formatDate(language, consent.at)})` : "";

  const save = async (event: Event) => {
    event.preventDefault();
    try {
      const saved = await api.updateMe({
        full_name: form.full_name,
        ...(emailChanged ? { email: form.email || null, password } : {}),
        birth_date: form.birth_date || null,
        city: form.city || null,
        time_zone: form.time_zone || null,
        consents: { marketing_sms: form.marketing_sms, marketing_email: form.marketing_email },
      });
      setPassword("");
      onSaved(saved);
      setNotice({ text: t("saved"), ok: true });
    } catch (error) {
      const exists = error instanceof api.ApiError && error.problem.code === "MEMBER_EXISTS";
      const labels = {
        full_name: t("fullName"),
        email: t("email"),
        password: t("currentPassword"),
        birth_date: t("birthDate"),
        city: t("city"),
        time_zone: t("timeZone"),
      };
      setNotice({ text: exists ? t("memberExists") : explain(language, error, labels), ok: false });
    }
  };
  return (
    <form class="card" onSubmit={save}>
      <h2>{t("profile")}</h2>
      <label>
        {t("fullName")}
        <input value={form.full_name} onInput={text("full_name")} required autocomplete="name" />
      </label>
      <label>
        {t("email")}
        <input type="email" value={form.email} onInput={text("email")} autocomplete="email" dir="ltr" />
      </label>
      {emailChanged && <Secret label={t("currentPassword")} value={password} set={setPassword} />}
      <DateField
        language={language}
        name="birth-date"
        label={t("birthDate")}
        value={form.birth_date}
        onChange={(birth_date) => setForm({ ...form, birth_date })}
        min="1900-01-01"
        max={todayIso()}
        autocomplete="bday"
      />
      <label>
        {t("city")}
        <input value={form.city} onInput={text("city")} autocomplete="address-level2" />
      </label>
      {/* Labelled from outside: the zones' names (Mexico_City) are no part of the field's name. */}
      <div class="field">
        <label for="time-zone">{t("timeZone")}</label>
        <select id="time-zone" value={form.time_zone} dir="ltr" aria-describedby="time-zone-hint"
          onChange={(event) => setForm({ ...form, time_zone: event.currentTarget.value })}>
          <option value="" dir="auto">{t("clubTimeZone")}</option>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
        <p class="hint" id="time-zone-hint">
          {t("timeZoneHint")}
        </p>
        {!me.time_zone && device && form.time_zone !== device && (
          <button type="button" class="link" onClick={() => setForm({ ...form, time_zone: device })}>
            {t("deviceTimeZone")} (<bdi>{device}</bdi>)
          </button>
        )}
      </div>
      <label class="check">
        <input type="checkbox" checked={form.marketing_sms} onChange={flag("marketing_sms")} />
        {t("marketingSms")}
        {consentSince(me.consents.marketing_sms)}
      </label>
      <label class="check">
        <input type="checkbox" checked={form.marketing_email} onChange={flag("marketing_email")} />
        {t("marketingEmail")}
        {consentSince(me.consents.marketing_email)}
      </label>
      <Said notice={notice} />
      <button type="submit" class="primary">
        {t("save")}
      </button>
    </form>
  );
}

function Password({ language }: { language: Language }) {
  const t = (key: WordKey) => word(language, key);
  const [current, setCurrent] = useState("");
  const [fresh, setFresh] = useState("");
  const [notice, setNotice] = useState<Notice>(null);
  const change = async (event: Event) => {
    event.preventDefault();
    try {
      await api.changePassword(current, fresh);
      setCurrent("");
      setFresh("");
      setNotice({ text: t("passwordChanged"), ok: true });
    } catch (error) {
      const labels = { current_password: t("currentPassword"), new_password: t("newPassword") };
      setNotice({ text: explain(language, error, labels), ok: false });
    }
  };
  return (
    <form class="card" onSubmit={change}>
      <h2>{t("changePassword")}</h2>
      <Secret label={t("currentPassword")} value={current} set={setCurrent} />
      <Secret label={t("newPassword")} value={fresh} set={setFresh} fresh />
      <Said notice={notice} />
      <button type="submit">{t("changePassword")}</button>
    </form>
  );
}

function MyData({ language, onSignedOut }: { language: Language; onSignedOut: () => void }) {
  const t = (key: WordKey) => word(language, key);
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState("");
  const [notice, setNotice] = useState<Notice>(null);
  const download = async () => {
    try {
      const file = await api.exportData();
      const link = document.createElement("a");
      link.href = URL.createObjectURL(file);
      link.download = "patron-my-data.json";
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      setNotice({ text: explain(language, error), ok: false });
    }
  };
  const erase = async (event: Event) => {
    event.preventDefault();
    try {
      await api.deleteAccount(password);
      onSignedOut();
    } catch (error) {
      setNotice({ text: explain(language, error), ok: false });
    }
  };
  return (
    <section class="card" aria-labelledby="data-title">
      <h2 id="data-title">{t("myData")}</h2>
      <button type="button" onClick={download}>
        {t("download")}
      </button>
      {!confirming ? (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          {t("deleteAccount")}
        </button>
      ) : (
        <form class="confirm" onSubmit={erase} aria-labelledby="delete-title">
          <h3 id="delete-title">{t("deleteAccount")}</h3>
          <p>{t("deleteWarning")}</p>
          <Secret label={t("password")} value={password} set={setPassword} />
          <button type="submit" class="danger">
            {t("deleteConfirm")}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t("cancel")}
          </button>
        </form>
      )}
      <Said notice={notice} />
    </section>
  );
}

export function Profile({ language, onLanguage, onSignedOut }: Props) {
  const { data: me, message, setData } = useMemberData(api.me, language);
  const t = (key: WordKey) => word(language, key);
  if (message) return <p class="message" role="alert">{message}</p>;
  if (!me) return <p class="loading">{t("loading")}</p>;
  const saved = (updated: api.Me) => {
    setData(updated);
    if (updated.language) onLanguage(updated.language);
  };
  return (
    <div class="account">
      <Details language={language} me={me} onSaved={saved} />
      <Password language={language} />
      <MyData language={language} onSignedOut={onSignedOut} />
    </div>
  );
}
