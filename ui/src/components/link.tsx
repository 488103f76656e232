// An ordinary link that the app follows itself (no page load); a modified click (new tab,
// new window) is left to the browser.
import type { MouseEvent, ReactNode } from "react";
import { navigate } from "../router";

export function Link({ href, children, className }: { href: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} className={className}>
      {children}
    </a>
  );
}
