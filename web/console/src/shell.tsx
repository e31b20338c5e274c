// What every section's screens share: moving between the console's addresses without reloading
// the page, and what a section's page is given (the language, who signed in, the programme, and
// the rest of its address: /console/configure/rules/base is `configure` with ["rules", "base"]).
// A section is drawn only once the programme's settings are loaded, so its money and times are
// always in the programme's currency and zone.
import type { Language } from "@patron/common/i18n";
import type { ComponentChildren } from "preact";

import type { ProgramSettings, StaffSession } from "./api";

export function go(path: string, replace = false) {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

// A link within the console: followed without reloading the page.
export function Link({ to, current, children }: { to: string; current?: boolean; children: ComponentChildren }) {
  const follow = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    go(to);
  };
  return (
    <a href={to} onClick={follow} aria-current={current ? "page" : undefined}>
      {children}
    </a>
  );
}

export interface PageProps {
  language: Language;
  session: StaffSession;
  program: ProgramSettings;
  // Tells the console the programme's settings changed (saved on the settings screen), so the
  // header and every screen follow them.
  programChanged: (settings: ProgramSettings) => void;
  // The address below the section's own, in parts.
  rest: string[];
}
