// The staff console: staff sign in, and each sees the sections their role may use, at addresses of
// their own (/console/configure, ...; patrond answers them all with this page). The token lives
// only in this tab's session and leaves with sign-out, with the session's end, or when the API
// refuses it; then the sign-in page says why.
import { applyLanguage, formatTime, type Language } from "@patron/common/i18n";
import { type FunctionComponent, render } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

import * as api from "./api";
import { word, type WordKey } from "./i18n";
import { Configure } from "./configure/page";
import { Dashboard } from "./dashboard/page";
import { PrizeDraws } from "./draws/page";
import { Fraud } from "./fraud/page";
import { Members } from "./members/page";
import { explain } from "./problems";
import { movedTo, type Section, sectionAt, sectionsFor } from "./sections";
import { go, Link, type PageProps } from "./shell";
import { SignIn } from "./sign_in";
import { Staff } from "./staff/page";

// Each section's screens, by its address.
const pages: Record<string, FunctionComponent<PageProps>> = {
  dashboard: Dashboard,
  configure: Configure,
  members: Members,
  draws: PrizeDraws,
  fraud: Fraud,
  staff: Staff,
};

const languageKey = "patron.console.language";

function initialLanguage(): Language {
  const chosen = localStorage.getItem(languageKey);
  if (chosen === "fa" || chosen === "en") return chosen;
  return navigator.language.startsWith("en") ? "en" : "fa";
}

// What a role may not use is not shown; an address typed or bookmarked still leads here.
function Refusal({ language, title, why, allowed }: {
  language: Language;
  title: string;
  why?: string;
  allowed: Section[];
}) {
  const t = (key: WordKey) => word(language, key);
  return (
    <section class="card refusal" role="alert" aria-labelledby="refusal-title">
      <h2 id="refusal-title">{title}</h2>
      {why && <p>{why}</p>}
      {allowed[0] && (
        <p>
          {t("goTo")} <Link to={`/console/${allowed[0].path}`}>{t(allowed[0].title)}</Link>
        </p>
      )}
    </section>
  );
}

// The programme's settings, loaded once a session starts; a section waits for them.
type Programme =
  | { state: "loading" }
  | { state: "failed"; error: unknown }
  | { state: "loaded"; settings: api.ProgramSettings };

// Until the programme's settings are here a section is not drawn: said while they load, and if
// they could not be loaded, said as an alert with a way to try again.
function ProgrammeWait({ language, programme, retry }: { language: Language; programme: Programme; retry: () => void }) {
  const t = (key: WordKey) => word(language, key);
  if (programme.state === "failed") {
    return (
      <section class="card refusal" role="alert" aria-labelledby="programme-failed">
        <h2 id="programme-failed">{t("programmeFailed")}</h2>
        <p>{explain(language, programme.error)}</p>
        <button type="button" class="primary" onClick={retry}>
          {t("retry")}
        </button>
      </section>
    );
  }
  return (
    <p class="card" role="status" aria-busy="true">
      {t("programmeLoading")}
    </p>
  );
}

function Console({ language, session, programme, programChanged, retry, path }: {
  language: Language;
  session: api.StaffSession;
  programme: Programme;
  programChanged: (settings: api.ProgramSettings) => void;
  retry: () => void;
  path: string;
}) {
  const t = (key: WordKey) => word(language, key);
  const allowed = sectionsFor(session.role);
  // An address that moved (a bookmark of a screen's old one) leads to the screen's address now.
  const moved = movedTo(path);
  const at = sectionAt(moved ?? path);
  // The console's own address opens the first section the role may use.
  useEffect(() => {
    if (at === "" && allowed[0]) go(`/console/${allowed[0].path}`, true);
  }, [at]);
  useEffect(() => {
    if (moved !== null) go(moved, true);
  }, [moved]);
  const page = () => {
    if (moved !== null) return null;
    if (at === null) return <Refusal language={language} title={t("notFound")} allowed={allowed} />;
    if (at === "") return null;
    if (!allowed.includes(at.section)) {
      const why = `${t("refusedWhy")} ${t(at.section.title)} (${t(session.role)}).`;
      return <Refusal language={language} title={t("refused")} why={why} allowed={allowed} />;
    }
    if (programme.state !== "loaded") return <ProgrammeWait language={language} programme={programme} retry={retry} />;
    const Page = pages[at.section.path]!;
    return (
      <Page
        language={language}
        session={session}
        program={programme.settings}
        programChanged={programChanged}
        rest={at.rest}
      />
    );
  };
  return (
    <div class="shell">
      <nav class="sections" aria-label={t("sections")}>
        <ul>
          {allowed.map((section) => (
            <li key={section.path}>
              <Link to={`/console/${section.path}`} current={at !== null && at !== "" && at.section === section}>
                {t(section.title)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main>{page()}</main>
    </div>
  );
}

function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [kept] = useState(api.keptSession);
  const [session, setSession] = useState<api.StaffSession | null>(kept === "ended" ? null : kept);
  const [notice, setNotice] = useState<WordKey | null>(kept === "ended" ? "sessionEnded" : null);
  const [programme, setProgramme] = useState<Programme>({ state: "loading" });
  const program = programme.state === "loaded" ? programme.settings : null;
  const [path, setPath] = useState(location.pathname);
  const t = (key: WordKey) => word(language, key);

  const tries = useRef(0);
  // Loads the programme's settings; what is returned stops an unfinished load from landing.
  const loadProgramme = () => {
    const mine = ++tries.current;
    const current = () => mine === tries.current;
    setProgramme({ state: "loading" });
    api.settings().then(
      (settings) => current() && setProgramme({ state: "loaded", settings }),
      (error) => current() && setProgramme({ state: "failed", error }),
    );
    return () => {
      if (current()) tries.current++;
    };
  };

  useEffect(() => applyLanguage(language, t("console")), [language]);
  // Listening before any screen's effects run: a screen that replaces its address as it first
  // shows (an old address, the console's own) is followed on the page's first load too.
  useLayoutEffect(() => {
    const follow = () => setPath(location.pathname);
    addEventListener("popstate", follow);
    return () => removeEventListener("popstate", follow);
  }, []);
  const end = (why: WordKey) => {
    api.forgetSession();
    setSession(null);
    setProgramme({ state: "loading" });
    setNotice(why);
  };
  // A refused token, or the session's own end, brings the sign-in page back.
  useEffect(() => {
    api.client.onSessionEnded = () => end("sessionEnded");
    if (!session) return;
    const left = Date.parse(session.expires_at) - Date.now();
    const timer = setTimeout(() => end("sessionEnded"), Math.min(Math.max(left, 0), 2 ** 31 - 1));
    // An answer that comes after this session ended, or after a newer try, is not the programme.
    const stop = loadProgramme();
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [session]);

  const choose = () => {
    const next = language === "fa" ? "en" : "fa";
    localStorage.setItem(languageKey, next);
    setLanguage(next);
  };
  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    end("signedOut");
  };
  return (
    <>
      <header class="bar">
        <h1>
          {t("console")}
          {program && (
            <span class="program">
              {" · "}
              <bdi>{program.name}</bdi>
            </span>
          )}
        </h1>
        <nav aria-label={t("console")}>
          {session && (
            <span class="who" data-testid="signed-in">
              {t("signedInAs")} <bdi>{session.name}</bdi> ({t(session.role)}){t("sessionUntil")}{" "}
              {formatTime(language, session.expires_at)}
            </span>
          )}
          <button type="button" class="link" onClick={choose} lang={language === "fa" ? "en" : "fa"}>
            {t("language")}
          </button>
          {session && (
            <button type="button" class="link" onClick={signOut}>
              {t("signOut")}
            </button>
          )}
        </nav>
      </header>
      {session ? (
        <Console
          language={language}
          session={session}
          programme={programme}
          programChanged={(settings) => setProgramme({ state: "loaded", settings })}
          retry={loadProgramme}
          path={path}
        />
      ) : (
        <main>
          <SignIn
            language={language}
            notice={notice}
            onSignedIn={(signedIn) => {
              setNotice(null);
              setSession(signedIn);
            }}
          />
        </main>
      )}
    </>
  );
}

render(<App />, document.getElementById("app")!);
