// A table of a list (rules, versions, entries): its column headings and rows, scrolling inside
// its own box on a narrow screen rather than widening the page. A table whose rows may hold
// nothing to focus is given a `label`: its box is then a named region that the keyboard can
// reach and scroll.
import type { ComponentChildren } from "preact";

export function ListTable({ headings, testId, label, children }: {
  headings: string[];
  testId?: string;
  label?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap" tabIndex={label ? 0 : undefined} role={label ? "region" : undefined} aria-label={label}>
      <table class="list" data-testid={testId}>
        <thead>
          <tr>
            {headings.map((heading) => (
              <th scope="col" key={heading}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
