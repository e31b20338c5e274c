// A sentence whose blanks ("{date}") hold more than words: a time, a link, a code isolated from
// the sentence's direction. Shared by the screens of every section.
import { type ComponentChildren, Fragment } from "preact";

export function Filled({ text, values }: { text: string; values: Record<string, ComponentChildren> }) {
  // split() with a group keeps what it matched: every odd part is the name of a blank.
  const parts = text.split(/\{(\w+)\}/);
  return <>{parts.map((part, index) => <Fragment key={index}>{index % 2 === 0 ? part : values[part]}</Fragment>)}</>;
}
