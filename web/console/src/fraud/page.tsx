// The Fraud signals section (admin, support, analyst; docs/fraud.md): the review queue at
// /console/fraud (queue.tsx), a signal's page at /console/fraud/ID (signal.tsx) and the policy at
// /console/fraud/policy (policy.tsx), each at an address of its own so reload and back work.
import "./style.css";

import { SectionIntro } from "../intro";
import { ScreensNav } from "../screens";
import { sections } from "../sections";
import type { PageProps } from "../shell";
import { Policy } from "./policy";
import { address, Queue } from "./queue";
import { SignalPage } from "./signal";
import { word } from "./words";

const section = sections.find((known) => known.path === "fraud")!;

const screens = [
  { path: "", title: "queueTitle" },
  { path: "policy", title: "policyTitle" },
] as const;

export function Fraud(props: PageProps) {
  const { language, session, rest } = props;
  const screen = rest.join("/");
  // A signal's page is one of the queue's.
  const signal = /^[1-9][0-9]{0,17}$/.test(screen) ? screen : null;
  const shown = () => {
    if (screen === "") return <Queue {...props} />;
    if (screen === "policy") return <Policy {...props} />;
    if (signal !== null) return <SignalPage key={signal} {...props} id={signal} />;
    return (
      <section class="card refusal" role="alert" aria-labelledby="fraud-missing">
        <h2 id="fraud-missing">{word(language, "notFound")}</h2>
      </section>
    );
  };
  return (
    <>
      <SectionIntro language={language} section={section} role={session.role} />
      <ScreensNav
        label={word(language, "fraudScreens")}
        screens={screens.map((known) => ({
          to: known.path ? `${address}/${known.path}` : address,
          title: word(language, known.title),
          current: screen === known.path || (known.path === "" && signal !== null),
        }))}
      />
      {shown()}
    </>
  );
}
