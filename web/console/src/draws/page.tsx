// The Prize draws section (admin, marketer, support, analyst; docs/draws.md): the draws at
// /console/draws and a draw's page at /console/draws/ID, each at an address of its own so reload
// and back work. Their screens live beside Configure's (../configure/draws.tsx), whose form fields,
// words and styles they share, and show each role what it may do: admins and marketers make,
// change and run draws, support staff also record a prize handed over, and analysts read.
import "../configure/style.css";

import { DrawPage, Draws } from "../configure/draws";
import { word } from "../i18n";
import { SectionIntro } from "../intro";
import { sections } from "../sections";
import type { PageProps } from "../shell";

const section = sections.find((known) => known.path === "draws")!;

export function PrizeDraws(props: PageProps) {
  const { language, session, rest } = props;
  const shown = () => {
    if (rest.length === 0) return <Draws {...props} />;
    if (rest.length === 1) return <DrawPage {...props} id={rest[0]!} />;
    return (
      <section class="card refusal" role="alert" aria-labelledby="draws-missing">
        <h2 id="draws-missing">{word(language, "notFound")}</h2>
      </section>
    );
  };
  return (
    <>
      <SectionIntro language={language} section={section} role={session.role} />
      {shown()}
    </>
  );
}
