// A section's heading and what it holds for the signed-in role.
import type { Language } from "@patron/common/i18n";

import type { StaffRole } from "./api";
import { word } from "./i18n";
import { aboutFor, type Section } from "./sections";

export function SectionIntro({ language, section, role }: { language: Language; section: Section; role: StaffRole }) {
  return (
    <section class="card section" aria-labelledby="section-title">
      <h2 id="section-title">{word(language, section.title)}</h2>
      {aboutFor(section, role).map((about) => (
        <p key={about}>{word(language, about)}</p>
      ))}
    </section>
  );
}
