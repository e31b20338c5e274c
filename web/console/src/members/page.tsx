// The members section: the look-up (/console/members) and a member's page
// (/console/members/ID), each at an address of its own so reload and back work.
import "./style.css";

import { SectionIntro } from "../intro";
import { sections } from "../sections";
import { go, Link, type PageProps } from "../shell";
import { LookUpForm } from "./look_up";
import { MemberPage } from "./member";
import { word } from "./words";

const section = sections.find((known) => known.path === "members")!;

export function Members({ language, session, program, rest }: PageProps) {
  const [first] = rest;
  if (first === undefined) {
    return (
      <>
        <SectionIntro language={language} section={section} role={session.role} />
        <div class="card">
          <LookUpForm language={language} title={word(language, "findMember")} testId="find-member"
            onFound={(member) => go(`/console/members/${member.id}`)} />
        </div>
      </>
    );
  }
  if (!/^[1-9][0-9]{0,17}$/.test(first) || rest.length > 1) {
    return (
      <section class="card" role="alert" aria-labelledby="missing-title">
        <h2 id="missing-title">{word(language, "noSuchMember")}</h2>
        <p>
          <Link to="/console/members">{word(language, "findAnother")}</Link>
        </p>
      </section>
    );
  }
  return <MemberPage key={first} language={language} session={session} program={program} id={Number(first)} />;
}
