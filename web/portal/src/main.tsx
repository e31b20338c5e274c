// The member portal: signs the member in and shows what they hold. One page with a view per
// address fragment (#home, #history, #claim, #invite, #draws, #account); the member's data lives
// only in memory and the tab's session, and leaves with sign-out. A receipt's feedback link
// (#rate=TOKEN) opens its rating without signing in: the fragment never reaches a server log.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import { applyLanguage, currencyOf, type Language } from "@patron/common/i18n";

import * as api from "./api";
import { Claim } from "./claim";
import { RateByLink } from "./feedback";
import { History } from "./history";
import { Home, useMemberData } from "./home";
import { word, type WordKey } from "./i18n";
import { Profile } from "./profile";
import { SignIn } from "./sign_in";

const languageKey = "patron.language";
const programKey = "patron.program";

type View = "home" | "history" | "claim" | "invite" | "draws" | "account";
const views: [View, WordKey][] = [
  ["home", "home"],
  ["history", "historyTab"],
  ["claim", "claimTab"],
  ["invite", "inviteTab"],
  ["draws", "drawsTab"],
  ["account", "profileTab"],
];

function initialLanguage(): Language {
  const chosen = localStorage.getItem(languageKey);
  if (chosen === "fa" || chosen === "en") return chosen;
  return navigator.language.startsWith("en") ? "en" : "fa";
}

// The club's code comes with the link a member follows (/portal/?program=DEMO) and is
// remembered on this device; it is not the member's data.
function initialProgram(): string {
  const given = new URLSearchParams(location.search).get("program");
  if (given) localStorage.setItem(programKey, given);
  return given ?? localStorage.getItem(programKey) ?? "";
}

function feedbackLink(): string | null {
  const link = /^#rate=([0-9a-f.]{1,64})$/.exec(location.hash);
  return link ? link[1] : null;
}

function currentView(): View {
  const named = location.hash.replace("#", "");
  return views.some(([view]) => view === named) ? (named as View) : "home";
}

// The views that need the programme's currency and time zone read them from the balance.
function ClaimView({ language }: { language: Language }) {
  const { data } = useMemberData(api.balance, language);
  return data ? <Claim language={language} currency={currencyOf(data.cashback)} /> : null;
}

function HistoryView({ language }: { language: Language }) {
  const { data } = useMemberData(api.balance, language);
  return data ? <History language={language} timeZone={data.time_zone} /> : null;
}

// The Invite friends view and its words load when the member first opens it, as the codes' libraries
// do: the first page stays small. Without them (a lost connection) the portal says so as it does
// any call that failed.
function InviteView({ language }: { language: Language }) {
  const [view, setView] = useState<typeof import("./invite") | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import("./invite").then(setView, () => setFailed(true));
  }, []);
  if (failed) return <p class="message" role="alert">{word(language, "unavailable")}</p>;
  if (!view) return <p class="loading">{word(language, "loading")}</p>;
  return <view.Invite language={language} />;
}

// The Prize draws view and its words load as the Invite friends view's do, when first opened.
function DrawsView({ language }: { language: Language }) {
  const [view, setView] = useState<typeof import("./draws") | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import("./draws").then(setView, () => setFailed(true));
  }, []);
  if (failed) return <p class="message" role="alert">{word(language, "unavailable")}</p>;
  if (!view) return <p class="loading">{word(language, "loading")}</p>;
  return <view.Draws language={language} />;
}

function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [signedIn, setSignedIn] = useState(api.token() !== null);
  // Why the sign-in page is shown again, when it is: the club ended the session.
  const [notice, setNotice] = useState<WordKey | null>(null);
  const [view, setView] = useState<View>(currentView);
  const program = initialProgram();
  useEffect(() => applyLanguage(language, word(language, "club")), [language]);
  useEffect(() => {
    const follow = () => setView(currentView());
    addEventListener("hashchange", follow);
    return () => removeEventListener("hashchange", follow);
  }, []);
  // A signed-in member's language is their own, kept by the club.
  useEffect(() => {
    if (signedIn) api.me().then((me) => me.language && choose(me.language), () => undefined);
  }, [signedIn]);

  const choose = (next: Language) => {
    localStorage.setItem(languageKey, next);
    setLanguage(next);
  };
  const switchLanguage = () => {
    const next = language === "fa" ? "en" : "fa";
    choose(next);
    if (signedIn) void api.updateMe({ language: next }).catch(() => undefined);
  };
  const signedOut = () => {
    setSignedIn(false);
    location.hash = "";
  };
  // Whatever call the club refuses the token on, the member signs in again and is told why.
  useEffect(() => {
    api.whenSessionEnds(() => {
      api.forgetToken();
      setNotice("sessionEnded");
      signedOut();
    });
  }, []);
  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    // Signing out of a session that had already ended is still just signing out.
    setNotice(null);
    signedOut();
  };
  const t = (key: WordKey) => word(language, key);
  const link = feedbackLink();
  return (
    <>
      <header class="bar">
        <h1>{t("club")}</h1>
        <nav aria-label={t("club")}>
          <button type="button" class="link" onClick={switchLanguage} lang={language === "fa" ? "en" : "fa"}>
            {t("language")}
          </button>
          {signedIn && !link && (
            <button type="button" class="link" onClick={signOut}>
              {t("signOut")}
            </button>
          )}
        </nav>
      </header>
      {signedIn && !link && (
        <nav class="tabs" aria-label={t("profileTab")}>
          {views.map(([name, label]) => (
            <a key={name} href={`#${name}`} aria-current={view === name ? "page" : undefined}>
              {t(label)}
            </a>
          ))}
        </nav>
      )}
      <main aria-live="polite">
        {link && <RateByLink language={language} link={link} />}
        {!link && !signedIn && <SignIn language={language} program={program} notice={notice}
          onSignedIn={() => {
            setNotice(null);
            setSignedIn(true);
          }} />}
        {!link && signedIn && view === "home" && <Home language={language} />}
        {!link && signedIn && view === "history" && <HistoryView language={language} />}
        {!link && signedIn && view === "claim" && <ClaimView language={language} />}
        {!link && signedIn && view === "invite" && <InviteView language={language} />}
        {!link && signedIn && view === "draws" && <DrawsView language={language} />}
        {!link && signedIn && view === "account" && <Profile language={language} onLanguage={choose} onSignedOut={signedOut} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
