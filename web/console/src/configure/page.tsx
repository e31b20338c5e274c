// The configure section's screens.
import { SectionIntro } from "../intro";
import { sections } from "../sections";
import type { PageProps } from "../shell";

const section = sections.find((known) => known.path === "configure")!;

export function Configure({ language, session }: PageProps) {
  return <SectionIntro language={language} section={section} role={session.role} />;
}
