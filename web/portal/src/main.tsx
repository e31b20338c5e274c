// The member portal: signs the member in and shows what they hold. One page; the member's data
// lives only in memory and the tab's session, and leaves with sign-out.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

import * as api from "./api";
import { applyLanguage, type Language, word } from "./i18n";
import { Home } from "./home";
import { SignIn } from "./sign_in";

const languageKey = "patron.language";
const programKey = "patron.program";

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

function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [signedIn, setSignedIn] = useState(api.token() !== null);
  const program = initialProgram();
  useEffect(() => applyLanguage(language), [language]);

  const switchLanguage = () => {
    const next = language === "fa" ? "en" : "fa";
    localStorage.setItem(languageKey, next);
    setLanguage(next);
  };
  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setSignedIn(false);
  };
  return (
    <>
      <header class="bar">
        <h1>{word(language, "club")}</h1>
        <nav>
          <button type="button" class="link" onClick={switchLanguage} lang={language === "fa" ? "en" : "fa"}>
            {word(language, "language")}
          </button>
          {signedIn && (
            <button type="button" class="link" onClick={signOut}>
              {word(language, "signOut")}
            </button>
          )}
        </nav>
      </header>
      <main aria-live="polite">
        {signedIn ? (
          <Home language={language} onSignedOut={() => setSignedIn(false)} />
        ) : (
          <SignIn language={language} program={program} onSignedIn={() => setSignedIn(true)} />
        )}
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
