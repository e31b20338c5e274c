// The members section's screens.
import { SectionIntro } from "../intro";
import { sections } from "../sections";
import type { PageProps } from "../shell";

const section = sections.find((known) => known.path === "members")!;

export function Members({ language, session }: PageProps) {
  return <SectionIntro language={language} section={section} role={session.role} />;
}
