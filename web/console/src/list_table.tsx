// A table of a list (rules, versions, entries): its column headings and rows, scrolling inside
// its own box on a narrow screen rather than widening the page.
import type { ComponentChildren } from "preact";

export function ListTable({ headings, testId, children }: { headings: string[]; testId?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
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
