import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Para server sessions",
  description: "Sign in with Para in the browser; validate, keep alive and use the session on a Next.js server.",
};

// The Para configuration is read per request, so one build serves para-local and Para.
export const dynamic = "force-dynamic";

/** The shell of every page, with no Para code: the pages that need Para load its SDK on demand (components/para/areas.tsx). */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The Para modal's Stencil web components add class="hydrated" to <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <body>{children}</body>
    </html>
  );
}
