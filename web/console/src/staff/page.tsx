// The staff section's screens.
import { SectionIntro } from "../intro";
import { sections } from "../sections";
import type { PageProps } from "../shell";

const section = sections.find((known) => known.path === "staff")!;

export function Staff({ language, session }: PageProps) {
  return <SectionIntro language={language} section={section} role={session.role} />;
}
