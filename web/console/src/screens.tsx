// A section's screens as links below its heading, the one shown marked as the current page.
import { Link } from "./shell";

export interface Screen {
  to: string;
  title: string;
  current: boolean;
}

export function ScreensNav({ label, screens }: { label: string; screens: Screen[] }) {
  return (
    <nav class="screens" aria-label={label}>
      <ul>
        {screens.map((screen) => (
          <li key={screen.to}>
            <Link to={screen.to} current={screen.current}>
              {screen.title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
