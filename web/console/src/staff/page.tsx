// The Staff & audit section (admins): the staff users at /console/staff (users.tsx) and the audit
// log at /console/staff/audit (audit.tsx), each at an address of its own.
import "./style.css";

import { SectionIntro } from "../intro";
import { sections } from "../sections";
import { ScreensNav } from "../screens";
import type { PageProps } from "../shell";
import { AuditLog } from "./audit";
import { StaffUsers } from "./users";
import { word } from "./words";

const section = sections.find((known) => known.path === "staff")!;

const screens = [
  { path: "", title: "usersTitle" },
  { path: "audit", title: "auditTitle" },
] as const;

export function Staff(props: PageProps) {
  const { language, session, rest } = props;
  const screen = rest.join("/");
  const shown = () => {
    if (screen === "") return <StaffUsers {...props} />;
    if (screen === "audit") return <AuditLog {...props} />;
    return (
      <section class="card refusal" role="alert" aria-labelledby="staff-missing">
        <h2 id="staff-missing">{word(language, "notFound")}</h2>
      </section>
    );
  };
  return (
    <>
      <SectionIntro language={language} section={section} role={session.role} />
      <ScreensNav
        label={word(language, "staffScreens")}
        screens={screens.map((known) => ({
          to: `/console/staff${known.path ? `/${known.path}` : ""}`,
          title: word(language, known.title),
          current: screen === known.path,
        }))}
      />
      {shown()}
    </>
  );
}
